package bench

import (
	"sync"
	"testing"
	"unsafe"

	"github.com/golockdep/lockdep/locks"
)

// TestSizes prints the size of every lock type, for ./run's table. Run it
// with -v; it fails only if the Mutex target is missed in the on build.
func TestSizes(t *testing.T) {
	sizes := []struct {
		name string
		size uintptr
	}{
		{"sync.Mutex", unsafe.Sizeof(sync.Mutex{})},
		{"sync.RWMutex", unsafe.Sizeof(sync.RWMutex{})},
		{"locks.Mutex", unsafe.Sizeof(locks.Mutex{})},
		{"locks.RWSem", unsafe.Sizeof(locks.RWSem{})},
		{"locks.RWLock", unsafe.Sizeof(locks.RWLock{})},
		{"locks.PageLock", unsafe.Sizeof(locks.PageLock{})},
	}
	for _, s := range sizes {
		t.Logf("size %s %s %d", impl, s.name, s.size)
	}
}
