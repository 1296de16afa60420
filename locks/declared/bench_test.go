package declared_test

import (
	"sync"
	"testing"

	"github.com/golockdep/lockdep/locks"
	"github.com/golockdep/lockdep/locks/declared"
)

type kBench struct{}

func (kBench) LockdepClass() string { return "bench.T.mu" }

// The uncontended Lock+Unlock of a declared mutex against the lock it
// wraps and package sync's: the declared class costs one more atomic load.
func BenchmarkLockUnlock(b *testing.B) {
	b.Run("sync", func(b *testing.B) {
		var m sync.Mutex
		for i := 0; i < b.N; i++ {
			m.Lock()
			m.Unlock()
		}
	})
	b.Run("locks", func(b *testing.B) {
		var m locks.Mutex
		for i := 0; i < b.N; i++ {
			m.Lock()
			m.Unlock()
		}
	})
	b.Run("declared", func(b *testing.B) {
		var m declared.Mutex[kBench]
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m.Lock()
			m.Unlock()
		}
	})
}
