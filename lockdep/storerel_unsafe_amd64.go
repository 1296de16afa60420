//go:build amd64 && !race

package lockdep

import (
	"sync/atomic"
	"unsafe"
)

// storeRelease stores v in *p with release ordering only: every earlier
// write of the caller is visible to a goroutine that then reads v with an
// atomic load or compare-and-swap. It is what a task's release to idle
// needs (settle: the owner's writes to its task, then the idle word that a
// taker's compare-and-swap reads). On amd64 every store is a release store
// (the hardware keeps stores in order and never moves a store before an
// earlier load), so this is one MOV, where atomic.Int64.Store is an XCHG,
// a full barrier that cost about 3 ns per outermost release
// (BENCHMARKS.md). It is not inlined: the compiler moves no memory
// operation of the caller across a call. The Go memory model does not
// promise this ordering for a plain store, the gc compiler on amd64 gives
// it; race builds, whose detector cannot see it, use atomic.Int64.Store
// (storerel_other.go), and so do other architectures.
//
//go:noinline
func storeRelease(p *atomic.Int64, v int64) {
	*(*int64)(unsafe.Pointer(p)) = v
}
