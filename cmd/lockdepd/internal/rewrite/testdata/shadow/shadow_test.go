package shadow_test

import (
	"sync"
	"testing"
)

var testMu sync.RWMutex

func TestX(t *testing.T) {
	testMu.Lock()
	testMu.Unlock()
}
