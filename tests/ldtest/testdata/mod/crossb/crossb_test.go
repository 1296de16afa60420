package crossb

import (
	"testing"

	"example.com/ldbank/shared"
)

func TestIndexThenCache(t *testing.T) {
	c, x := &shared.Cache{}, &shared.Index{}
	x.Lock()
	c.Lock()
	c.Unlock()
	x.Unlock()
}
