//go:build !lockdep_off

package lockdep_test

import (
	"testing"

	"github.com/golockdep/lockdep/lockdep"
)

// TestCachedChainAllocs: acquiring and releasing along a chain validated
// before costs no allocation, in any mode, out-of-order release included.
func TestCachedChainAllocs(t *testing.T) {
	v, rs := recorder()
	var ka, kb, kc lockdep.Key
	a, b, c := v.NewMap("a", &ka), v.NewMap("b", &kb), v.NewMap("c", &kc)
	run := func() {
		a.Acquire(0, lockdep.Exclusive)
		b.Acquire(0, lockdep.Shared)
		c.Acquire(1, lockdep.RecursiveRead)
		b.Release() // out of order: c is taken again under a alone
		c.Release()
		a.Release()
	}
	run()
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Errorf("%v allocations per run on a cached chain, want 0", n)
	}
	if len(*rs) != 0 {
		t.Errorf("%d reports", len(*rs))
	}
}
