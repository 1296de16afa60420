package lockdep_test

import (
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

// TestContract spells out the API that external suites are promised
// (issue 2, "The contract external suites use"), so that renaming any of
// it breaks the build here first.
func TestContract(t *testing.T) {
	var key lockdep.Key
	var _ lockdep.Kind = lockdep.Circular
	kinds := map[lockdep.Kind]string{
		lockdep.Circular: "circular", lockdep.Recursive: "recursive", lockdep.BadUnlock: "bad-unlock",
		lockdep.HeldAtExit: "held-at-exit", lockdep.InvalidSubclass: "invalid-subclass",
		lockdep.DepthExceeded: "depth-exceeded", lockdep.NestLockNotHeld: "nest-lock-not-held",
		lockdep.AssertFailed: "assert-failed", lockdep.OrderViolation: "order-violation",
	}
	for k, want := range kinds {
		if k.String() != want {
			t.Errorf("Kind %d prints %q, want %q", int(k), k.String(), want)
		}
	}
	if lockdep.Circular != 1 || lockdep.OrderViolation != 9 {
		t.Errorf("Kind values moved: Circular=%d OrderViolation=%d", lockdep.Circular, lockdep.OrderViolation)
	}
	var r lockdep.Report
	_ = r.Kind
	_ = r.String
	var setHandler func(func(*lockdep.Report)) func() = lockdep.SetHandler
	var reset func() = lockdep.Reset
	_, _ = setHandler, reset

	var newMutex func(string, *lockdep.Key) *locks.Mutex = locks.NewMutex
	m := newMutex("contract.mutex", &key)
	_, _, _, _ = m.Lock, m.Unlock, m.TryLock, m.LockNested

	var newRWSem func(string, *lockdep.Key) *locks.RWSem = locks.NewRWSem
	s := newRWSem("contract.rwsem", &key)
	_, _, _, _ = s.DownRead, s.UpRead, s.DownWrite, s.UpWrite
	var _ func() bool = s.DownReadTrylock
	var _ func() bool = s.DownWriteTrylock
	var _ func() = s.DowngradeWrite
	var _ func(int) = s.DownReadNested
	var _ func(int) = s.DownWriteNested
	_, _, _, _ = s.Lock, s.Unlock, s.RLock, s.RUnlock
	var _ func() bool = s.TryLock
	var _ func() bool = s.TryRLock

	var newRWLock func(string, *lockdep.Key) *locks.RWLock = locks.NewRWLock
	l := newRWLock("contract.rwlock", &key)
	_, _, _, _ = l.ReadLock, l.ReadUnlock, l.WriteLock, l.WriteUnlock

	var _ func(*testing.M) = lockdeptest.VerifyTestMain
	var _ func(testing.TB) = lockdeptest.Check
}
