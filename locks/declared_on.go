//go:build !lockdep_off

package locks

// declare gives a lock that has no Map yet one in the declared class c: a
// compare-and-swap, like the zero-value path of get, so that goroutines
// racing to a lock's first use agree on one Map.
func (d *depMap[K]) declare(c DeclaredClass) {
	if d.p.Load() == nil {
		d.declareSlow(c)
	}
}

//go:noinline
func (d *depMap[K]) declareSlow(c DeclaredClass) {
	var k K
	d.p.CompareAndSwap(nil, ld.NewDeclaredMap(c.LockdepClass(), k.kindName()))
}
