package declared

import (
	"sync"

	"github.com/golockdep/lockdep/locks"
)

// RWMutex is a sync.RWMutex validated by lockdep in the declared class K.
// The zero value is an unlocked RWMutex. An RWMutex must not be copied after
// first use.
type RWMutex[K Class] struct {
	m locks.RWMutex
}

// get returns the lock inside m, in its declared class.
func (m *RWMutex[K]) get() *locks.RWMutex {
	var k K
	m.m.Declare(k)
	return &m.m
}

// Lock locks m for writing; see locks.RWMutex.Lock.
func (m *RWMutex[K]) Lock() { m.get().Lock() }

// Unlock unlocks m for writing.
func (m *RWMutex[K]) Unlock() { m.get().Unlock() }

// RLock locks m for reading.
func (m *RWMutex[K]) RLock() { m.get().RLock() }

// RUnlock undoes one RLock.
func (m *RWMutex[K]) RUnlock() { m.get().RUnlock() }

// TryLock tries to lock m for writing and reports whether it succeeded.
func (m *RWMutex[K]) TryLock() bool { return m.get().TryLock() }

// TryRLock tries to lock m for reading and reports whether it succeeded.
func (m *RWMutex[K]) TryRLock() bool { return m.get().TryRLock() }

// RLocker returns a sync.Locker that calls m.RLock and m.RUnlock.
func (m *RWMutex[K]) RLocker() sync.Locker { return m.get().RLocker() }

// RWMutexPtr returns the *locks.RWMutex inside m, in m's declared class.
func RWMutexPtr[K Class](m *RWMutex[K]) *locks.RWMutex { return m.get() }

// NewRWMutex returns a new RWMutex in the declared class K.
func NewRWMutex[K Class]() *locks.RWMutex {
	m := new(locks.RWMutex)
	var k K
	m.Declare(k)
	return m
}
