package locks

import (
	"sync"

	"github.com/golockdep/lockdep/lockdep"
)

// RWLock is a reader/writer lock with recursive readers, like the kernel's
// rwlock_t as taken from interrupt context: a reader gets in whenever no
// writer holds the lock, even while a writer waits, so a goroutine may take
// the read side again while holding it. Readers are validated as recursive
// readers: read-after-read of one class is allowed, and a cycle through a
// recursive read is reported only when it can really deadlock.
//
// An RWLock must not be copied after first use.
type RWLock struct {
	_   noCopy
	dep depMap[rwlockKind] // first: empty in the off build, and no padding then
	c   rwcore
}

// NewRWLock returns a lock named name in the class of key.
func NewRWLock(name string, key *lockdep.Key) *RWLock {
	l := &RWLock{}
	l.Init(name, key)
	return l
}

// Init names an embedded lock and sets its class.
func (l *RWLock) Init(name string, key *lockdep.Key) { l.dep.init(nil, name, key) }

// InitIn is Init for a lock validated by v instead of the default validator, for
// programs and tests that keep several validators apart.
func (l *RWLock) InitIn(v *lockdep.Validator, name string, key *lockdep.Key) {
	l.dep.init(v, name, key)
}

// ReadLock takes l for reading.
func (l *RWLock) ReadLock() { l.ReadLockNested(0) }

// ReadLockNested takes l for reading with a nesting subclass.
func (l *RWLock) ReadLockNested(sub int) {
	if lockdep.Enabled {
		l.dep.acquire(sub, lockdep.RecursiveRead, nil)
		if !l.c.tryRLockRec() {
			l.dep.contended(lockdep.RecursiveRead, l.c.rlockRec)
		}
		return
	}
	l.c.rlock(true)
}

// ReadTryLock takes l for reading if no writer holds it.
func (l *RWLock) ReadTryLock() bool {
	return l.dep.tried(l.c.tryRLock(true), lockdep.RecursiveRead)
}

// ReadUnlock releases a read hold.
func (l *RWLock) ReadUnlock() {
	if lockdep.Enabled {
		if l.dep.release() {
			l.c.runlock()
			return
		}
		l.dep.unlockUnheld(lockdep.RecursiveRead, l.c.readLocked, l.c.runlockAny)
		return
	}
	l.c.runlock()
}

// WriteLock takes l for writing.
func (l *RWLock) WriteLock() { l.WriteLockNested(0) }

// WriteLockNested takes l for writing with a nesting subclass.
func (l *RWLock) WriteLockNested(sub int) {
	if lockdep.Enabled {
		l.dep.acquire(sub, lockdep.Exclusive, nil)
		if !l.c.tryLock() {
			l.dep.contended(lockdep.Exclusive, l.c.lock)
		}
		return
	}
	l.c.lock()
}

// WriteTryLock takes l for writing if that needs no wait.
func (l *RWLock) WriteTryLock() bool { return l.dep.tried(l.c.tryLock(), lockdep.Exclusive) }

// WriteUnlock releases the write hold.
func (l *RWLock) WriteUnlock() {
	if lockdep.Enabled {
		if l.dep.release() {
			l.c.unlock()
			return
		}
		l.dep.unlockUnheld(lockdep.Exclusive, l.c.writeLocked, l.c.unlockAny)
		return
	}
	l.c.unlock()
}

// Lock is WriteLock, for sync.Locker.
func (l *RWLock) Lock() { l.WriteLock() }

// Unlock is WriteUnlock, for sync.Locker.
func (l *RWLock) Unlock() { l.WriteUnlock() }

// ReadLocker returns a sync.Locker that takes l for reading.
func (l *RWLock) ReadLocker() sync.Locker { return rlockLocker{l} }

type rlockLocker struct{ l *RWLock }

func (r rlockLocker) Lock()   { r.l.ReadLock() }
func (r rlockLocker) Unlock() { r.l.ReadUnlock() }

// LockdepMap returns the validator's view of l, for annotations.
func (l *RWLock) LockdepMap() *lockdep.Map { return l.dep.lockdepMap() }

// TryLock is WriteTryLock, for code written against sync's TryLock.
func (l *RWLock) TryLock() bool { return l.WriteTryLock() }

// AssertHeld reports an AssertFailed unless the caller holds l.
func (l *RWLock) AssertHeld() { l.LockdepMap().AssertHeld() }

// AssertHeldRead reports an AssertFailed unless the caller holds l for reading.
func (l *RWLock) AssertHeldRead() { l.LockdepMap().AssertHeldRead() }

// AssertHeldWrite reports an AssertFailed unless the caller holds l for writing.
func (l *RWLock) AssertHeldWrite() { l.LockdepMap().AssertHeldWrite() }

// AssertNotHeld reports an AssertFailed if the caller holds l.
func (l *RWLock) AssertNotHeld() { l.LockdepMap().AssertNotHeld() }
