//go:build lockdep_off

package declared_test

import (
	"testing"
	"unsafe"

	"github.com/golockdep/lockdep/locks/declared"
)

type kOff struct{}

func (kOff) LockdepClass() string { return "off.T.mu" }

// TestOff: compiled out, a declared mutex is the sync.Mutex it wraps and
// still excludes.
func TestOff(t *testing.T) {
	var m declared.Mutex[kOff]
	if s := unsafe.Sizeof(m); s != 8 {
		t.Errorf("size %d, want 8 (a sync.Mutex)", s)
	}
	m.Lock()
	if m.TryLock() {
		t.Fatal("TryLock of a locked mutex succeeded")
	}
	m.Unlock()
	p := declared.NewRWMutex[kOff]()
	p.RLock()
	p.RUnlock()
}
