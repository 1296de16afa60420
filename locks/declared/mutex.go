package declared

import "github.com/golockdep/lockdep/locks"

// Mutex is a sync.Mutex validated by lockdep in the declared class K. The
// zero value is an unlocked mutex. A Mutex must not be copied after first
// use.
type Mutex[K Class] struct {
	m locks.Mutex
}

// get returns the lock inside m, in its declared class.
func (m *Mutex[K]) get() *locks.Mutex {
	var k K
	m.m.Declare(k)
	return &m.m
}

// Lock locks m; see locks.Mutex.Lock.
func (m *Mutex[K]) Lock() { m.get().Lock() }

// Unlock unlocks m; see locks.Mutex.Unlock.
func (m *Mutex[K]) Unlock() { m.get().Unlock() }

// TryLock tries to lock m and reports whether it succeeded.
func (m *Mutex[K]) TryLock() bool { return m.get().TryLock() }

// MutexPtr returns the *locks.Mutex inside m, in m's declared class: what
// the rewrite puts where the program takes the address of a declared
// mutex for a *sync.Mutex.
func MutexPtr[K Class](m *Mutex[K]) *locks.Mutex { return m.get() }

// NewMutex returns a new mutex in the declared class K: what the rewrite
// puts for new(sync.Mutex) and &sync.Mutex{} stored into a declared place.
func NewMutex[K Class]() *locks.Mutex {
	m := new(locks.Mutex)
	var k K
	m.Declare(k)
	return m
}
