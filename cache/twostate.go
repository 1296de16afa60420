package cache

import (
	"fmt"
	"sync"

	"github.com/golockdep/lockdep/lockdep"
)

// TwoStateLock is bcachefs's pagecache add/block lock: any number of
// holders of one state, never both states at once. Buffered I/O and
// faults take it for add when they bring pages into the cache; direct
// writes take it for block so that nothing adds pages while they run.
//
// The validator sees the two states as two classes (pagecache_add and
// pagecache_block), each held shared. Taking one state waits for the
// holders of the other, which is validated the way the kernel validates
// flush_work: the other state's map is acquired exclusive and released at
// once before the wait, so whatever is held while waiting comes before
// the other state. A goroutine that holds block and asks for add on the
// same lock is then a recursive acquisition of its own block instance (a
// certain self-deadlock), and block(A) -> mmap_lock -> wait for block(B)
// is a cycle through mmap_lock, as two direct writes that each fault on a
// mapping of the other's file deadlock.
type TwoStateLock struct {
	mu sync.Mutex // leaf, only to sleep and wake
	// cond is how Get sleeps: the wait is validated through dep, by state
	// and instance, so lockdepd test leaves it alone (as a Cond it would
	// be one class for both states of every lock: false reports).
	cond sync.Cond //lockdepd:ignore
	n    [2]int
	dep  [2]*lockdep.Map // by state
}

// The two states.
const (
	StateAdd   = 0
	StateBlock = 1
)

var stateNames = [2]string{"pagecache_add", "pagecache_block"}

func newTwoStateLock(fstype string, ino uint64, keys [2]*lockdep.Key) *TwoStateLock {
	l := &TwoStateLock{}
	for st := range l.dep {
		l.dep[st] = lockdep.NewMap(fmt.Sprintf("%s:%s(ino %d)", fstype, stateNames[st], ino), keys[st])
	}
	l.cond.L = &l.mu
	return l
}

// Get takes the lock in state st, waiting while the other state is held.
func (l *TwoStateLock) Get(st int) {
	l.dep[1-st].Acquire(0, lockdep.Exclusive) // the wait for the other state
	l.dep[1-st].Release()
	l.dep[st].Acquire(0, lockdep.Shared)
	l.mu.Lock()
	for l.n[1-st] > 0 {
		l.cond.Wait()
	}
	l.n[st]++
	l.mu.Unlock()
}

// tryGet takes the lock in state st if the other state is not held
// (bch2_pagecache_add_tryget), without waiting.
func (l *TwoStateLock) tryGet(st int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n[1-st] > 0 {
		return false
	}
	l.n[st]++
	l.dep[st].AcquireTry(0, lockdep.Shared)
	return true
}

// Put releases one hold of state st.
func (l *TwoStateLock) Put(st int) {
	l.dep[st].Release()
	l.mu.Lock()
	l.n[st]--
	if l.n[st] == 0 {
		l.cond.Broadcast()
	}
	l.mu.Unlock()
}

// Map returns the validator's view of state st.
func (l *TwoStateLock) Map(st int) *lockdep.Map { return l.dep[st] }
