//go:build !lockdep_off

package locks_test

import (
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

// TestRWLockAssertsAndTryLock: RWLock has the assertions and TryLock the
// other reader/writer types have.
// It runs on a validator of its own, in parallel with other tests.
func TestRWLockAssertsAndTryLock(t *testing.T) {
	t.Parallel()
	v, rec := lockdeptest.Private(t)
	l := new(locks.RWLock)
	l.InitIn(v, "l", nil)
	l.AssertHeld()
	wantKinds(t, rec, lockdep.AssertFailed)
	if !l.TryLock() {
		t.Fatal("TryLock of a free RWLock failed")
	}
	l.AssertHeld()
	l.AssertHeldWrite()
	wantKinds(t, rec)
	l.AssertHeldRead()
	wantKinds(t, rec, lockdep.AssertFailed)
	l.Unlock()
	l.ReadLock()
	l.AssertHeldRead()
	wantKinds(t, rec)
	l.AssertNotHeld()
	wantKinds(t, rec, lockdep.AssertFailed)
	if l.TryLock() {
		t.Fatal("TryLock of a read-locked RWLock succeeded")
	}
	l.ReadUnlock()
	l.AssertNotHeld()
	wantKinds(t, rec)
	mustWork(t, rec, l)
}

// TestNewPageLock: a page lock made by its constructor has its name and
// the class of its key, as the other types' do.
func TestNewPageLock(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var k lockdep.Key
	p, q := locks.NewPageLock("page", &k), locks.NewPageLock("page", &k)
	if got := p.LockdepMap().Name(); got != "page" {
		t.Errorf("name %q, want page", got)
	}
	p.Lock()
	q.LockNested(1)
	held := lockdep.HeldLocks()
	q.Unlock()
	p.AssertHeld()
	q.AssertNotHeld()
	p.Unlock()
	wantKinds(t, rec)
	if len(held) != 2 || held[0].Class != "page" || held[1].Class != "page/1" {
		t.Errorf("held %v, want two pages of one class, the second nested", held)
	}
	mustWork(t, rec, p)
	mustWork(t, rec, q)
}
