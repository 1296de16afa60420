package crossa

import (
	"testing"

	"example.com/ldbank/shared"
)

func TestCacheThenIndex(t *testing.T) {
	c, x := &shared.Cache{}, &shared.Index{}
	c.Lock()
	x.Lock()
	x.Unlock()
	c.Unlock()
}
