package bench

import (
	"sync"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
	deadlock "github.com/sasha-s/go-deadlock"
)

// Each benchmark runs the same workload on sync, on this project's locks
// (validator on, or off with -tags lockdep_off) and on go-deadlock, as
// sub-benchmarks named sync, lockdep-on / lockdep-off and go-deadlock.

var (
	keyA, keyB lockdep.Key
	keyDepth   [8]lockdep.Key
)

func init() {
	// go-deadlock's defaults, except that it must not print or exit on the
	// benchmark's own patterns; none of these workloads has an inversion.
	deadlock.Opts.LogBuf = nil
}

// 1: one Lock+Unlock, nothing else held.
func BenchmarkMutex(b *testing.B) {
	b.Run("sync", func(b *testing.B) {
		var m sync.Mutex
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m.Lock()
			m.Unlock()
		}
	})
	b.Run(impl, func(b *testing.B) {
		m := locks.NewMutex("bench.A", &keyA)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m.Lock()
			m.Unlock()
		}
	})
	b.Run("go-deadlock", func(b *testing.B) {
		var m deadlock.Mutex
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m.Lock()
			m.Unlock()
		}
	})
	// With lock_stat on: what an upload-enabled test run pays.
	b.Run(impl+"+lockstat", func(b *testing.B) {
		lockdep.EnableLockStats(true)
		defer lockdep.EnableLockStats(false)
		m := locks.NewMutex("bench.A", &keyA)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m.Lock()
			m.Unlock()
		}
	})
}

// 2: two nested locks, A then B: a chain the validator has cached.
func BenchmarkNested(b *testing.B) {
	b.Run("sync", func(b *testing.B) {
		var x, y sync.Mutex
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			x.Lock()
			y.Lock()
			y.Unlock()
			x.Unlock()
		}
	})
	b.Run(impl, func(b *testing.B) {
		x, y := locks.NewMutex("bench.A", &keyA), locks.NewMutex("bench.B", &keyB)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			x.Lock()
			y.Lock()
			y.Unlock()
			x.Unlock()
		}
	})
	b.Run("go-deadlock", func(b *testing.B) {
		var x, y deadlock.Mutex
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			x.Lock()
			y.Lock()
			y.Unlock()
			x.Unlock()
		}
	})
}

// 3: a read lock and unlock.
func BenchmarkRead(b *testing.B) {
	b.Run("sync", func(b *testing.B) {
		var m sync.RWMutex
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m.RLock()
			m.RUnlock()
		}
	})
	b.Run(impl, func(b *testing.B) {
		s := locks.NewRWSem("bench.sem", &keyA)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			s.DownRead()
			s.UpRead()
		}
	})
	b.Run("go-deadlock", func(b *testing.B) {
		var m deadlock.RWMutex
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m.RLock()
			m.RUnlock()
		}
	})
}

// 4: a nest eight deep.
func BenchmarkDepth8(b *testing.B) {
	b.Run("sync", func(b *testing.B) {
		var ms [8]sync.Mutex
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for j := range ms {
				ms[j].Lock()
			}
			for j := len(ms) - 1; j >= 0; j-- {
				ms[j].Unlock()
			}
		}
	})
	b.Run(impl, func(b *testing.B) {
		var ms [8]*locks.Mutex
		for j := range ms {
			ms[j] = locks.NewMutex("bench.depth", &keyDepth[j])
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for j := range ms {
				ms[j].Lock()
			}
			for j := len(ms) - 1; j >= 0; j-- {
				ms[j].Unlock()
			}
		}
	})
	b.Run("go-deadlock", func(b *testing.B) {
		var ms [8]deadlock.Mutex
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for j := range ms {
				ms[j].Lock()
			}
			for j := len(ms) - 1; j >= 0; j-- {
				ms[j].Unlock()
			}
		}
	})
}

// 5: every goroutine locks a mutex of its own; with no global lock on the
// fast path, -cpu 2 is no slower per operation than -cpu 1.
func BenchmarkParallel(b *testing.B) {
	b.Run("sync", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var m sync.Mutex
			for pb.Next() {
				m.Lock()
				m.Unlock()
			}
		})
	})
	b.Run(impl, func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var key lockdep.Key
			m := locks.NewMutex("bench.own", &key)
			for pb.Next() {
				m.Lock()
				m.Unlock()
			}
		})
	})
	b.Run("go-deadlock", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var m deadlock.Mutex
			for pb.Next() {
				m.Lock()
				m.Unlock()
			}
		})
	})
}
