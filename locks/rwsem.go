package locks

import (
	"sync"

	"github.com/golockdep/lockdep/lockdep"
)

// RWSem is a reader/writer semaphore with the kernel's rw_semaphore
// semantics: many readers or one writer; writer-preferring, so a new reader
// waits while a writer waits (and a reader that takes it twice can deadlock:
// down_read is not recursive); the writer can downgrade to a reader
// atomically. Readers are validated as non-recursive shared holders.
//
// It also has sync.RWMutex's method names, so it can replace one.
//
// An RWSem must not be copied after first use.
type RWSem struct {
	_   noCopy
	dep depMap[rwsemKind] // first: empty in the off build, and no padding then
	c   rwcore
}

// NewRWSem returns a semaphore named name in the class of key.
func NewRWSem(name string, key *lockdep.Key) *RWSem {
	s := &RWSem{}
	s.Init(name, key)
	return s
}

// Init names an embedded semaphore and sets its class.
func (s *RWSem) Init(name string, key *lockdep.Key) { s.dep.init(nil, name, key) }

// InitIn is Init for a lock validated by v instead of the default validator, for
// programs and tests that keep several validators apart.
func (s *RWSem) InitIn(v *lockdep.Validator, name string, key *lockdep.Key) { s.dep.init(v, name, key) }

// DownRead takes s for reading.
func (s *RWSem) DownRead() { s.DownReadNested(0) }

// DownReadNested takes s for reading with a nesting subclass.
func (s *RWSem) DownReadNested(sub int) {
	if lockdep.Enabled {
		// acquire, written out as in RWMutex.RLock.
		if lm := s.dep.made(); lm != nil {
			lm.Acquire(sub, lockdep.Shared)
		} else {
			s.dep.acquire(sub, lockdep.Shared, nil)
		}
		if !s.c.tryRLockSem() {
			s.dep.contended(lockdep.Shared, s.c.rlockSem)
		}
		return
	}
	s.c.rlock(false)
}

// DownReadTrylock takes s for reading if that needs no wait.
func (s *RWSem) DownReadTrylock() bool {
	return s.dep.tried(s.c.tryRLock(false), lockdep.Shared)
}

// UpRead releases a read hold.
func (s *RWSem) UpRead() {
	if lockdep.Enabled {
		lm := s.dep.made() // release, written out as in RWMutex.RUnlock
		if lm != nil && lm.Release() || lm == nil && s.dep.release() {
			s.c.runlock()
			return
		}
		s.dep.unlockUnheld(lockdep.Shared, s.c.readLocked, s.c.runlockAny)
		return
	}
	s.c.runlock()
}

// DownWrite takes s for writing.
func (s *RWSem) DownWrite() { s.DownWriteNested(0) }

// DownWriteNested takes s for writing with a nesting subclass.
func (s *RWSem) DownWriteNested(sub int) {
	if lockdep.Enabled {
		s.dep.acquire(sub, lockdep.Exclusive, nil)
		if !s.c.tryLock() {
			s.dep.contended(lockdep.Exclusive, s.c.lock)
		}
		return
	}
	s.c.lock()
}

// DownWriteNestLock takes s for writing, one of many semaphores of its
// class taken under the outer lock nest.
func (s *RWSem) DownWriteNestLock(nest Validated) {
	if lockdep.Enabled {
		s.dep.acquire(0, lockdep.Exclusive, nest.LockdepMap())
		if !s.c.tryLock() {
			s.dep.contended(lockdep.Exclusive, s.c.lock)
		}
		return
	}
	s.c.lock()
}

// DownWriteTrylock takes s for writing if that needs no wait.
func (s *RWSem) DownWriteTrylock() bool {
	return s.dep.tried(s.c.tryLock(), lockdep.Exclusive)
}

// UpWrite releases the write hold.
func (s *RWSem) UpWrite() {
	if lockdep.Enabled {
		if s.dep.release() {
			s.c.unlock()
			return
		}
		s.dep.unlockUnheld(lockdep.Exclusive, s.c.writeLocked, s.c.unlockAny)
		return
	}
	s.c.unlock()
}

// DowngradeWrite turns the caller's write hold into a read hold without
// letting another writer in.
func (s *RWSem) DowngradeWrite() {
	if !s.c.writeLocked() {
		s.dep.releaseUnlocked(lockdep.Exclusive)
		return
	}
	s.dep.downgrade()
	s.c.downgrade()
}

// DownReadNonOwner takes s for reading on behalf of another goroutine,
// which will release it with UpReadNonOwner. Neither is validated, as in
// the kernel.
func (s *RWSem) DownReadNonOwner() { s.c.rlock(false) }

// UpReadNonOwner releases a read hold taken with DownReadNonOwner.
func (s *RWSem) UpReadNonOwner() {
	if !s.c.runlock() {
		s.dep.releaseUnlocked(lockdep.Shared)
	}
}

// IsLocked reports whether anyone holds s, for reading or writing.
func (s *RWSem) IsLocked() bool { return s.c.state.Load()&(rwWriter|rwReaders) != 0 }

// sync.RWMutex-shaped names.

// Lock is DownWrite.
func (s *RWSem) Lock() { s.DownWrite() }

// Unlock is UpWrite.
func (s *RWSem) Unlock() { s.UpWrite() }

// RLock is DownRead.
func (s *RWSem) RLock() { s.DownRead() }

// RUnlock is UpRead.
func (s *RWSem) RUnlock() { s.UpRead() }

// TryLock is DownWriteTrylock.
func (s *RWSem) TryLock() bool { return s.DownWriteTrylock() }

// TryRLock is DownReadTrylock.
func (s *RWSem) TryRLock() bool { return s.DownReadTrylock() }

// RLocker returns a sync.Locker that takes s for reading.
func (s *RWSem) RLocker() sync.Locker { return rsemLocker{s} }

type rsemLocker struct{ s *RWSem }

func (l rsemLocker) Lock()   { l.s.DownRead() }
func (l rsemLocker) Unlock() { l.s.UpRead() }

// LockdepMap returns the validator's view of s, for annotations.
func (s *RWSem) LockdepMap() *lockdep.Map { return s.dep.lockdepMap() }

// AssertHeld reports an AssertFailed unless the caller holds s.
func (s *RWSem) AssertHeld() { s.LockdepMap().AssertHeld() }

// AssertHeldRead reports an AssertFailed unless the caller holds s for reading.
func (s *RWSem) AssertHeldRead() { s.LockdepMap().AssertHeldRead() }

// AssertHeldWrite reports an AssertFailed unless the caller holds s for writing.
func (s *RWSem) AssertHeldWrite() { s.LockdepMap().AssertHeldWrite() }

// AssertNotHeld reports an AssertFailed if the caller holds s.
func (s *RWSem) AssertNotHeld() { s.LockdepMap().AssertNotHeld() }
