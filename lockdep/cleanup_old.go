//go:build !go1.24

package lockdep

import "runtime"

// onCollect calls f(id) some time after m is garbage-collected. Before Go
// 1.24 (runtime.AddCleanup) it is a finalizer, which is set only on Maps
// the validator allocated itself (a finalizer needs the start of an
// allocation); the pairs of other Maps stay until Reset.
func onCollect(m *Map, f func(uint64), id uint64) {
	if m.bySite {
		runtime.SetFinalizer(m, func(*Map) { f(id) })
	}
}
