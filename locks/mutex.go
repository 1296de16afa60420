package locks

import (
	"sync"

	"github.com/golockdep/lockdep/lockdep"
)

// Mutex is a sync.Mutex whose acquisitions are validated by lockdep. The
// zero value is an unlocked mutex with a lock class of its own; NewMutex
// or Init gives it a shared class through a key.
//
// A Mutex must not be copied after first use.
type Mutex struct {
	_   noCopy
	dep depMap[mutexKind] // first: empty in the off build, and no padding then
	mu  sync.Mutex
}

// NewMutex returns a mutex named name in the class of key (a class of its
// own if key is nil).
func NewMutex(name string, key *lockdep.Key) *Mutex {
	m := &Mutex{}
	m.Init(name, key)
	return m
}

// Init names an embedded mutex and sets its class; call it before first use.
func (m *Mutex) Init(name string, key *lockdep.Key) { m.dep.init(nil, name, key) }

// InitIn is Init for a lock validated by v instead of the default validator, for
// programs and tests that keep several validators apart.
func (m *Mutex) InitIn(v *lockdep.Validator, name string, key *lockdep.Key) { m.dep.init(v, name, key) }

// Lock locks m. The acquisition is validated before it blocks, so a
// possible deadlock is reported even when this run does not hang.
func (m *Mutex) Lock() {
	if lockdep.Enabled {
		m.dep.acquire(0, lockdep.Exclusive, nil)
		if !m.mu.TryLock() {
			m.dep.contended(lockdep.Exclusive, m.mu.Lock)
		}
		return
	}
	m.mu.Lock()
}

// LockNested locks m with a nesting subclass (the kernel's
// mutex_lock_nested): two locks of one class taken together need distinct
// subclasses, outer first.
func (m *Mutex) LockNested(sub int) {
	if lockdep.Enabled {
		m.dep.acquire(sub, lockdep.Exclusive, nil)
		if !m.mu.TryLock() {
			m.dep.contended(lockdep.Exclusive, m.mu.Lock)
		}
		return
	}
	m.mu.Lock()
}

// LockNestLock locks m, one of many locks of its class taken under the
// outer lock nest (the kernel's mutex_lock_nest_lock).
func (m *Mutex) LockNestLock(nest Validated) {
	if lockdep.Enabled {
		m.dep.acquire(0, lockdep.Exclusive, nest.LockdepMap())
		if !m.mu.TryLock() {
			m.dep.contended(lockdep.Exclusive, m.mu.Lock)
		}
		return
	}
	m.mu.Lock()
}

// TryLock tries to lock m and reports whether it succeeded. A successful
// trylock adds no dependency of its own.
func (m *Mutex) TryLock() bool { return m.dep.tried(m.mu.TryLock(), lockdep.Exclusive) }

// Unlock unlocks m. As in package sync, a goroutine may unlock a mutex
// another goroutine locked (reported only under the kernel's rules, see
// lockdep.Options.Rules); unlocking a mutex that is not locked at all is
// reported and leaves it alone rather than crashing the program.
func (m *Mutex) Unlock() {
	if lockdep.Enabled {
		if m.dep.release() {
			m.mu.Unlock()
			return
		}
		m.dep.unlockUnheld(lockdep.Exclusive, m.isLocked, m.mu.Unlock)
		return
	}
	m.mu.Unlock()
}

// UnlockNonOwner unlocks a mutex locked by another goroutine that handed
// it over on purpose; it is not reported.
func (m *Mutex) UnlockNonOwner() {
	if lockdep.Enabled {
		m.dep.unlockNonOwner(lockdep.Exclusive, m.isLocked, m.mu.Unlock)
		return
	}
	m.mu.Unlock()
}

// isLocked reports whether anyone holds m; only for releases by goroutines
// that do not hold it, under the foreign-unlock guard.
func (m *Mutex) isLocked() bool {
	if m.mu.TryLock() {
		m.mu.Unlock()
		return false
	}
	return true
}

// LockdepMap returns the validator's view of m, for annotations.
func (m *Mutex) LockdepMap() *lockdep.Map { return m.dep.lockdepMap() }

// AssertHeld reports an AssertFailed unless the calling goroutine holds m.
func (m *Mutex) AssertHeld() { m.LockdepMap().AssertHeld() }

// AssertNotHeld reports an AssertFailed if the calling goroutine holds m.
func (m *Mutex) AssertNotHeld() { m.LockdepMap().AssertNotHeld() }
