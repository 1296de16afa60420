package locks

import (
	"sync"

	"github.com/golockdep/lockdep/lockdep"
)

// RWMutex is a sync.RWMutex whose acquisitions are validated by lockdep,
// with exactly sync.RWMutex's methods and semantics, so that
//
//	sed 's/sync\.\(RW\)\?Mutex/locks.\1Mutex/'
//
// converts a package. Readers are non-recursive, as Go's documentation
// requires: a goroutine that read-locks twice can deadlock behind a waiting
// writer, so a second RLock of one class is a Recursive report. Any
// goroutine may unlock (RUnlock) a locked RWMutex, as in package sync.
//
// The zero value is an unlocked RWMutex in the class of the site of its
// first use; NewRWMutex or Init gives it the class of a key.
//
// An RWMutex must not be copied after first use.
type RWMutex struct {
	_   noCopy
	dep depMap[rwmutexKind] // first: empty in the off build, and no padding then
	rw  sync.RWMutex
}

// NewRWMutex returns an RWMutex named name in the class of key (a class of
// its own if key is nil).
func NewRWMutex(name string, key *lockdep.Key) *RWMutex {
	m := &RWMutex{}
	m.Init(name, key)
	return m
}

// Init names an embedded RWMutex and sets its class; call it before first
// use.
func (m *RWMutex) Init(name string, key *lockdep.Key) { m.dep.init(nil, name, key) }

// InitIn is Init for a lock validated by v instead of the default validator.
func (m *RWMutex) InitIn(v *lockdep.Validator, name string, key *lockdep.Key) {
	m.dep.init(v, name, key)
}

// Lock locks m for writing; the acquisition is validated before it blocks.
func (m *RWMutex) Lock() {
	if lockdep.Enabled {
		m.dep.acquire(0, lockdep.Exclusive, nil)
		if !m.rw.TryLock() {
			m.dep.contended(lockdep.Exclusive, m.rw.Lock)
		}
		return
	}
	m.rw.Lock()
}

// TryLock tries to lock m for writing and reports whether it succeeded.
func (m *RWMutex) TryLock() bool { return m.dep.tried(m.rw.TryLock(), lockdep.Exclusive) }

// Unlock unlocks m for writing. Unlocking an RWMutex that is not
// write-locked is reported and leaves it alone instead of crashing.
//
// RWMutex's releases do not use the template's unlock: package sync
// cannot tell a reader from a writer, so the foreign paths below probe its
// state with the try methods.
func (m *RWMutex) Unlock() {
	if lockdep.Enabled {
		m.unlockValidated()
		return
	}
	m.rw.Unlock()
}

func (m *RWMutex) unlockValidated() {
	if m.dep.release() {
		m.rw.Unlock()
		return
	}
	m.unlockForeign()
}

// unlockForeign is Unlock by a goroutine the validator does not see
// holding m. The write holder the validator knows is unlocked, as Go
// permits. Otherwise package sync's own state decides, probed with the
// try methods (under the foreign-unlock guard): not locked at all, or
// read-locked, and the unlock is reported and not done, since it would
// crash in package sync.
func (m *RWMutex) unlockForeign() {
	g := m.dep.guard()
	g.Lock()
	defer g.Unlock()
	if m.dep.releaseForeign(lockdep.Exclusive) {
		m.rw.Unlock()
		return
	}
	switch {
	case m.rw.TryLock(): // not locked at all
		m.rw.Unlock()
	case m.rw.TryRLock(): // read-locked, no writer
		m.rw.RUnlock()
	}
	m.dep.releaseUnlocked(lockdep.Exclusive)
}

// runlockForeign is RUnlock by a goroutine the validator does not see
// holding m. A reader the validator knows is charged, as Go permits an
// RUnlock by another goroutine. With none, package sync's state decides,
// probed with the try methods under the foreign-unlock guard: a lock that
// is not locked at all, or write-locked, is reported and left alone (the
// RUnlock would crash in package sync); a read-locked one is unlocked
// without a report, because a read hold the validator lost track of (one
// of several readers when another goroutine unlocked one of them) is
// still a read hold.
func (m *RWMutex) runlockForeign() {
	g := m.dep.guard()
	g.Lock()
	defer g.Unlock()
	if m.dep.releaseForeign(lockdep.Shared) {
		m.rw.RUnlock()
		return
	}
	switch {
	case m.rw.TryLock(): // not locked at all
		m.rw.Unlock()
	case m.rw.TryRLock(): // read-locked, no writer waiting
		m.rw.RUnlock()
		m.rw.RUnlock()
		return
	case !ld.WriteHeldByOther(m.LockdepMap()): // readers, and a writer waiting for them
		m.rw.RUnlock()
		return
	}
	m.dep.releaseUnlocked(lockdep.Shared)
}

// RLock locks m for reading.
func (m *RWMutex) RLock() {
	if lockdep.Enabled {
		// acquire, written out for a Map already made: a call less on the
		// read side's round trip (bench: BenchmarkRWParallel).
		if lm := m.dep.made(); lm != nil {
			lm.Acquire(0, lockdep.Shared)
		} else {
			m.dep.acquire(0, lockdep.Shared, nil)
		}
		if !m.rw.TryRLock() {
			m.dep.contended(lockdep.Shared, m.rw.RLock)
		}
		return
	}
	m.rw.RLock()
}

// TryRLock tries to lock m for reading and reports whether it succeeded.
func (m *RWMutex) TryRLock() bool { return m.dep.tried(m.rw.TryRLock(), lockdep.Shared) }

// RUnlock undoes one RLock. A goroutine may undo another's RLock, as in
// package sync; an RUnlock with no reader left is reported and not done.
func (m *RWMutex) RUnlock() {
	if lockdep.Enabled {
		m.runlockValidated()
		return
	}
	m.rw.RUnlock()
}

func (m *RWMutex) runlockValidated() {
	lm := m.dep.made() // release, written out as in RLock
	if lm != nil && lm.Release() || lm == nil && m.dep.release() {
		m.rw.RUnlock()
		return
	}
	m.runlockForeign()
}

// RLocker returns a sync.Locker that calls m.RLock and m.RUnlock.
func (m *RWMutex) RLocker() sync.Locker { return (*rlocker)(m) }

type rlocker RWMutex

func (r *rlocker) Lock()   { (*RWMutex)(r).RLock() }
func (r *rlocker) Unlock() { (*RWMutex)(r).RUnlock() }

// LockdepMap returns the validator's view of m, for annotations.
func (m *RWMutex) LockdepMap() *lockdep.Map { return m.dep.lockdepMap() }

// AssertHeld reports an AssertFailed unless the calling goroutine holds m.
func (m *RWMutex) AssertHeld() { m.LockdepMap().AssertHeld() }

// AssertHeldRead reports an AssertFailed unless the caller holds m for reading.
func (m *RWMutex) AssertHeldRead() { m.LockdepMap().AssertHeldRead() }

// AssertHeldWrite reports an AssertFailed unless the caller holds m for writing.
func (m *RWMutex) AssertHeldWrite() { m.LockdepMap().AssertHeldWrite() }

// AssertNotHeld reports an AssertFailed if the calling goroutine holds m.
func (m *RWMutex) AssertNotHeld() { m.LockdepMap().AssertNotHeld() }
