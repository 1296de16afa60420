//go:build !lockdep_off

package locks

import "github.com/golockdep/lockdep/lockdep"

// declare gives a lock that has no Map yet one in the declared class c: a
// compare-and-swap, like the zero-value path of get, so that goroutines
// racing to a lock's first use agree on one Map.
func (d *depMap) declare(c DeclaredClass, kind string) {
	if d.p.Load() == nil {
		d.declareSlow(c, kind)
	}
}

//go:noinline
func (d *depMap) declareSlow(c DeclaredClass, kind string) {
	d.p.CompareAndSwap(nil, lockdep.NewDeclaredMap(c.LockdepClass(), kind))
}
