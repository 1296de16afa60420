package bench

import (
	"runtime"
	"sync"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

// Scale: many goroutines, many lock objects.

// lockOnceAndPark starts n goroutines that each lock a lock of their own
// and a shared one once, then park; it releases them and waits.
func lockOnceAndPark(n int, lockOwn func(i int)) {
	var started, done sync.WaitGroup
	park := make(chan struct{})
	started.Add(n)
	done.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			defer done.Done()
			lockOwn(i)
			started.Done()
			<-park
		}(i)
	}
	started.Wait()
	close(park)
	done.Wait()
}

// BenchmarkGoroutines100k: 100,000 live goroutines, each locking a mutex
// of its own and a shared one once (one after the other), then parking.
// One op is the whole 100,000. The nested variant takes the shared mutex
// inside its own: with zero-value locks first used by one function, both
// are of one site class, and every goroutine's pair of instances is
// learned (see lockdep's pairs.go), which costs a stack each.
func BenchmarkGoroutines100k(b *testing.B) {
	const n = 100_000
	for _, nested := range []bool{false, true} {
		name := ""
		if nested {
			name = "nested-"
		}
		b.Run(name+"sync", func(b *testing.B) {
			var shared sync.Mutex
			for i := 0; i < b.N; i++ {
				own := make([]sync.Mutex, n)
				lockOnceAndPark(n, func(i int) {
					own[i].Lock()
					if !nested {
						own[i].Unlock()
					}
					shared.Lock()
					shared.Unlock()
					if nested {
						own[i].Unlock()
					}
				})
			}
		})
		b.Run(name+impl, func(b *testing.B) {
			var shared locks.Mutex
			for i := 0; i < b.N; i++ {
				own := make([]locks.Mutex, n)
				lockOnceAndPark(n, func(i int) {
					own[i].Lock()
					if !nested {
						own[i].Unlock()
					}
					shared.Lock()
					shared.Unlock()
					if nested {
						own[i].Unlock()
					}
				})
			}
		})
	}
}

// BenchmarkShortLived: a million goroutines that each lock once and exit,
// 1,000 alive at a time. It reports the heap in use afterwards, after a
// collection: what the validator keeps for goroutines that are gone.
func BenchmarkShortLived(b *testing.B) {
	const n, alive = 1_000_000, 1000
	run := func(b *testing.B, lock func()) {
		for i := 0; i < b.N; i++ {
			sem := make(chan struct{}, alive)
			var wg sync.WaitGroup
			for j := 0; j < n; j++ {
				sem <- struct{}{}
				wg.Add(1)
				go func() {
					defer wg.Done()
					lock()
					<-sem
				}()
			}
			wg.Wait()
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MiB-heap")
	}
	b.Run("sync", func(b *testing.B) {
		var mu sync.Mutex
		run(b, func() { mu.Lock(); mu.Unlock() })
	})
	b.Run(impl, func(b *testing.B) {
		var mu locks.Mutex
		run(b, func() { mu.Lock(); mu.Unlock() })
	})
}

type zeroItem struct {
	mu locks.Mutex
	n  int
}

var firstKey lockdep.Key

// BenchmarkFirstLock: one new lock object locked once, per op: a
// zero-value lock (its class found from its first use's site) against a
// keyed one (NewMutex with a key) and a sync.Mutex.
func BenchmarkFirstLock(b *testing.B) {
	b.Run("sync", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			it := &struct {
				mu sync.Mutex
				n  int
			}{}
			it.mu.Lock()
			it.n++
			it.mu.Unlock()
		}
	})
	b.Run(impl+"-keyed", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m := locks.NewMutex("bench.first", &firstKey)
			m.Lock()
			m.Unlock()
		}
	})
	b.Run(impl+"-zero", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			it := &zeroItem{}
			it.mu.Lock()
			it.n++
			it.mu.Unlock()
		}
	})
}
