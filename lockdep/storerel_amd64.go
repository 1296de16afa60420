//go:build amd64 && !race

package lockdep

import "sync/atomic"

// storeRelease stores v in *p with release ordering only: every earlier
// write of the caller is visible to a goroutine that then reads v with an
// atomic load or compare-and-swap. It is what a task's release to depth 0
// needs (settle: the owner's writes to its task, then the idle word that a
// taker's compare-and-swap reads). On amd64 every store is a release store,
// so this is one MOV, where atomic.Int64.Store is an XCHG, a full barrier
// that cost about 3 ns per outermost release (BENCHMARKS.md). Written in
// assembly so that the compiler cannot move the caller's memory operations
// across it. Race builds use atomic.Int64.Store (storerel_other.go): the
// race detector cannot see this store.
//
//go:noescape
func storeRelease(p *atomic.Int64, v int64)
