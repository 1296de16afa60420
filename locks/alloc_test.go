//go:build !lockdep_off

package locks_test

import (
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

// TestCachedChainAllocs: once a chain has been validated, taking it again
// is the fast path: no allocation.
func TestCachedChainAllocs(t *testing.T) {
	lockdeptest.Capture(t)
	var ka, kb lockdep.Key
	a, b := locks.NewMutex("a", &ka), locks.NewMutex("b", &kb)
	s := locks.NewRWSem("s", nil)
	l := locks.NewRWLock("l", nil)
	p := newPageLock("p", nil)
	cases := []struct {
		name string
		f    func()
	}{
		{"Mutex", func() {
			a.Lock()
			b.Lock()
			b.Unlock()
			a.Unlock()
		}},
		{"RWSem", func() {
			s.DownRead()
			a.Lock()
			a.Unlock()
			s.UpRead()
			s.DownWrite()
			s.UpWrite()
		}},
		{"RWLock", func() {
			l.ReadLock()
			l.ReadLock()
			l.ReadUnlock()
			l.ReadUnlock()
			l.WriteLock()
			l.WriteUnlock()
		}},
		{"PageLock", func() {
			a.Lock()
			p.Lock()
			p.Unlock()
			a.Unlock()
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.f() // validate the chains once
			if n := testing.AllocsPerRun(100, c.f); n != 0 {
				t.Errorf("%v allocations per run on a cached chain, want 0", n)
			}
		})
	}
	if n := lockdep.ReportCount(); n != 0 {
		t.Errorf("%d reports", n)
	}
}
