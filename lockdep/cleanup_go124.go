//go:build go1.24

package lockdep

import "runtime"

// onCollect calls f(id) some time after m is garbage-collected: the
// learned pairs of a lock that is gone are given back (pairs.go).
func onCollect(m *Map, f func(uint64), id uint64) { runtime.AddCleanup(m, f, id) }
