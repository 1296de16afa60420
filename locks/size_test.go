//go:build !lockdep_off

package locks_test

import (
	"testing"
	"unsafe"

	"github.com/golockdep/lockdep/locks"
)

// TestSize: the validator's link costs a word or two per lock, not a
// struct.
func TestSize(t *testing.T) {
	if n := unsafe.Sizeof(locks.Mutex{}); n > 24 {
		t.Errorf("Sizeof(locks.Mutex{}) = %d, want at most 24", n)
	}
}
