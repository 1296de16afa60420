package locks

import (
	"sync"
	"sync/atomic"
)

// rwcore is the reader/writer lock under RWSem and RWLock. The state word
// holds the reader count, a writer-held bit and the number of waiting
// writers; the uncontended paths are one compare-and-swap or add. Waiters
// sleep on a condition variable, woken by any release while someone waits.
//
// With readerPrefer false (RWSem) a reader waits while a writer waits, as
// rw_semaphore does, so a reader that already holds the lock and asks again
// deadlocks behind a waiting writer. With readerPrefer true (RWLock) a
// reader gets in unless a writer holds the lock, as the kernel's rwlock_t
// lets recursive readers in.
type rwcore struct {
	state   atomic.Int64
	sleeps  atomic.Int32 // goroutines in the slow path
	mu      sync.Mutex
	cond    *sync.Cond
	condSet sync.Once
}

const (
	rwReaders   = 1<<32 - 1 // low 32 bits: readers holding
	rwWriter    = 1 << 32   // a writer holds the lock
	rwWaiterOne = 1 << 33   // one waiting writer; the count sits above
)

func (c *rwcore) canRead(s int64, readerPrefer bool) bool {
	if readerPrefer {
		return s&rwWriter == 0
	}
	return s&^rwReaders == 0
}

func (c *rwcore) tryRLock(readerPrefer bool) bool {
	for {
		s := c.state.Load()
		if !c.canRead(s, readerPrefer) {
			return false
		}
		if c.state.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

func (c *rwcore) rlock(readerPrefer bool) {
	if c.tryRLock(readerPrefer) {
		return
	}
	c.wait(func() bool { return c.tryRLock(readerPrefer) })
}

func (c *rwcore) runlock() bool {
	for {
		s := c.state.Load()
		if s&rwReaders == 0 {
			return false // not read-locked
		}
		if c.state.CompareAndSwap(s, s-1) {
			c.wake()
			return true
		}
	}
}

// Method values for timed locking, one per reader policy.
func (c *rwcore) tryRLockSem() bool { return c.tryRLock(false) }
func (c *rwcore) rlockSem()         { c.rlock(false) }
func (c *rwcore) tryRLockRec() bool { return c.tryRLock(true) }
func (c *rwcore) rlockRec()         { c.rlock(true) }

func (c *rwcore) tryLock() bool { return c.state.CompareAndSwap(0, rwWriter) }

// tryLockWaiting takes the lock for a writer already counted as waiting.
func (c *rwcore) tryLockWaiting() bool {
	for {
		s := c.state.Load()
		if s&(rwWriter|rwReaders) != 0 {
			return false
		}
		if c.state.CompareAndSwap(s, s-rwWaiterOne+rwWriter) {
			return true
		}
	}
}

func (c *rwcore) lock() {
	if c.tryLock() {
		return
	}
	c.state.Add(rwWaiterOne)
	if c.tryLockWaiting() {
		return
	}
	c.wait(c.tryLockWaiting)
}

func (c *rwcore) unlock() bool {
	for {
		s := c.state.Load()
		if s&rwWriter == 0 {
			return false // not write-locked
		}
		if c.state.CompareAndSwap(s, s-rwWriter) {
			c.wake()
			return true
		}
	}
}

// downgrade turns the writer's hold into a reader's, atomically: no other
// writer can get in between.
func (c *rwcore) downgrade() bool {
	for {
		s := c.state.Load()
		if s&rwWriter == 0 {
			return false
		}
		if c.state.CompareAndSwap(s, s-rwWriter+1) {
			c.wake()
			return true
		}
	}
}

func (c *rwcore) readLocked() bool  { return c.state.Load()&rwReaders != 0 }
func (c *rwcore) writeLocked() bool { return c.state.Load()&rwWriter != 0 }

func (c *rwcore) init() {
	c.condSet.Do(func() { c.cond = sync.NewCond(&c.mu) })
}

func (c *rwcore) wait(try func() bool) {
	c.init()
	c.sleeps.Add(1)
	c.mu.Lock()
	for !try() {
		c.cond.Wait()
	}
	c.mu.Unlock()
	c.sleeps.Add(-1)
}

func (c *rwcore) wake() {
	if c.sleeps.Load() == 0 {
		return
	}
	c.init()
	c.mu.Lock()
	c.cond.Broadcast()
	c.mu.Unlock()
}
