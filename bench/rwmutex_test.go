package bench

import (
	"sync"
	"testing"
	"unsafe"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
	deadlock "github.com/sasha-s/go-deadlock"
)

var keyRW lockdep.Key

// rwSink keeps the readers' sums alive.
var rwSink int

// rwWriteEvery: one iteration in this many is a writer (10%); the others
// are readers.
const rwWriteEvery = 10

// cacheLine: each lock and the int it guards are padded to one line, which
// the allocator's 64-byte size class aligns, so that no lock pays for an
// int that straddles into the next line (a 24-byte sync.RWMutex and its
// int never would; a 32-byte RWSem's could, depending on the address).
const cacheLine = 64

const intSize = unsafe.Sizeof(int(0))

// BenchmarkRWParallel: RunParallel on one shared reader/writer lock, 90% of
// iterations RLock+RUnlock around a read of the guarded int, 10%
// Lock+Unlock around an increment of it. Run it at -cpu 1,2. Every
// sub-benchmark is the same loop on a different lock, declared next to the
// int it guards as a program would (and on one cache line with it); each
// goroutine keeps its own counter to pick reader or writer, so there is no
// shared random source.
func BenchmarkRWParallel(b *testing.B) {
	b.Run("sync", func(b *testing.B) {
		var s struct {
			mu sync.RWMutex
			n  int
			_  [cacheLine - unsafe.Sizeof(sync.RWMutex{}) - intSize]byte
		}
		b.RunParallel(func(pb *testing.PB) {
			sum := 0
			for i := 0; pb.Next(); i++ {
				if i%rwWriteEvery == 0 {
					s.mu.Lock()
					s.n++
					s.mu.Unlock()
				} else {
					s.mu.RLock()
					sum += s.n
					s.mu.RUnlock()
				}
			}
			s.mu.Lock()
			rwSink += sum
			s.mu.Unlock()
		})
	})
	// locks.RWSem through its sync.RWMutex-shaped names.
	b.Run(impl, func(b *testing.B) {
		var s struct {
			mu locks.RWSem
			n  int
			_  [cacheLine - unsafe.Sizeof(locks.RWSem{}) - intSize]byte
		}
		s.mu.Init("bench.rw", &keyRW)
		b.RunParallel(func(pb *testing.PB) {
			sum := 0
			for i := 0; pb.Next(); i++ {
				if i%rwWriteEvery == 0 {
					s.mu.Lock()
					s.n++
					s.mu.Unlock()
				} else {
					s.mu.RLock()
					sum += s.n
					s.mu.RUnlock()
				}
			}
			s.mu.Lock()
			rwSink += sum
			s.mu.Unlock()
		})
	})
	// locks.RWMutex, the drop-in for sync.RWMutex (a zero value: the class
	// of its first use's site).
	b.Run(impl+"-RWMutex", func(b *testing.B) {
		var s struct {
			mu locks.RWMutex
			n  int
			_  [cacheLine - unsafe.Sizeof(locks.RWMutex{}) - intSize]byte
		}
		b.RunParallel(func(pb *testing.PB) {
			sum := 0
			for i := 0; pb.Next(); i++ {
				if i%rwWriteEvery == 0 {
					s.mu.Lock()
					s.n++
					s.mu.Unlock()
				} else {
					s.mu.RLock()
					sum += s.n
					s.mu.RUnlock()
				}
			}
			s.mu.Lock()
			rwSink += sum
			s.mu.Unlock()
		})
	})
	b.Run("go-deadlock", func(b *testing.B) {
		var s struct {
			mu deadlock.RWMutex
			n  int
			_  [cacheLine - unsafe.Sizeof(deadlock.RWMutex{}) - intSize]byte
		}
		b.RunParallel(func(pb *testing.PB) {
			sum := 0
			for i := 0; pb.Next(); i++ {
				if i%rwWriteEvery == 0 {
					s.mu.Lock()
					s.n++
					s.mu.Unlock()
				} else {
					s.mu.RLock()
					sum += s.n
					s.mu.RUnlock()
				}
			}
			s.mu.Lock()
			rwSink += sum
			s.mu.Unlock()
		})
	})
}
