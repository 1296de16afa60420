package cache

import (
	"sync"

	"github.com/golockdep/lockdep/lockdep"
)

// TwoStateLock is bcachefs's pagecache add/block lock: any number of
// holders of one state, never both states at once. Buffered I/O and
// faults take it for add when they bring pages into the cache; direct
// writes take it for block so that nothing adds pages while they run.
//
// The validator sees both states as shared acquisitions of one class: a
// goroutine that holds one state and asks for the other (or the same
// again) is reported as recursive locking, which for this lock is a
// certain self-deadlock when the states differ.
type TwoStateLock struct {
	mu   sync.Mutex // leaf, only to sleep and wake
	cond sync.Cond
	n    [2]int
	dep  *lockdep.Map
}

// The two states.
const (
	StateAdd   = 0
	StateBlock = 1
)

func newTwoStateLock(name string, key *lockdep.Key) *TwoStateLock {
	l := &TwoStateLock{dep: lockdep.NewMap(name, key)}
	l.cond.L = &l.mu
	return l
}

// Get takes the lock in state st, waiting while the other state is held.
func (l *TwoStateLock) Get(st int) {
	l.dep.Acquire(0, lockdep.Shared)
	l.mu.Lock()
	for l.n[1-st] > 0 {
		l.cond.Wait()
	}
	l.n[st]++
	l.mu.Unlock()
}

// Put releases one hold of state st.
func (l *TwoStateLock) Put(st int) {
	l.dep.Release()
	l.mu.Lock()
	l.n[st]--
	if l.n[st] == 0 {
		l.cond.Broadcast()
	}
	l.mu.Unlock()
}

// LockdepMap returns the validator's view of the lock.
func (l *TwoStateLock) LockdepMap() *lockdep.Map { return l.dep }
