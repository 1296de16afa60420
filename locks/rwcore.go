package locks

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// rwcore is the reader/writer lock under RWSem and RWLock.
//
// With readerPrefer false (RWSem) a reader waits while a writer waits, as
// rw_semaphore does, so a reader that already holds the lock and asks again
// deadlocks behind a waiting writer. With readerPrefer true (RWLock) a
// reader gets in unless a writer holds the lock, as the kernel's rwlock_t
// lets recursive readers in. The policy is the caller's: it is passed to
// the read-side functions, and the write side is the same for both.
//
// # State word
//
// state packs three fields into one int64 (never negative):
//
//	bits  0..31  readers: goroutines holding the read side, plus readers
//	             that have just added themselves on the fast path, found
//	             the lock closed to them and are about to take their add
//	             back ("pending" readers; see below)
//	bit   32     rwWriter: a writer holds the lock
//	bits 33..63  waiting writers: writers that announced themselves in
//	             lock and have not yet got the lock (state / rwWaiterOne)
//
// The zero value is an unlocked lock with nobody waiting. A pending reader
// is counted for the few instructions it takes to back off, so readLocked
// and RWSem.IsLocked can see it (only while a writer holds or, for RWSem,
// waits). runlock refuses it while a writer holds; a misused runlock while
// only a waiting writer closes an RWSem can take it, as it can take any
// reader's count, and undoRLock then leaves the count at zero.
//
// # Protocol
//
// Read fast path (tryRLock): one atomic add of 1, as sync.RWMutex's RLock.
// The value it returns says whether the reader is in: no writer holds the
// lock and, for RWSem, no writer waits. Otherwise the reader is pending: it
// takes its add back with a guarded decrement (undoRLock, which never takes
// the count below zero) and, if that leaves no reader while writers wait,
// wakes one, since a waiting writer may have seen the pending count. The
// slow path never adds blindly: it loads the word and adds 1 by
// compare-and-swap only when the lock is open to readers, so readers that
// wait cannot keep a writer out with pending counts.
//
// Read release (runlock): one compare-and-swap from 1 to 0, a guess that
// the caller is the only reader and nobody waits, which is right whenever
// the lock is not shared at that moment and on a contended word costs one
// transfer of the cache line where a load before the swap would cost two.
// Otherwise (runlockSlow) a compare-and-swap of readers-1, refused (false,
// state unchanged) when no reader is counted or a writer holds the lock
// (the count is then only pending readers). The reader that takes the count
// to zero while writers wait wakes one writer; no other reader release can
// let anyone in, so it wakes nobody. A plain add of -1, as sync.RWMutex
// does, could not refuse: on a lock not read-locked it would borrow from
// the writer bit, and others could act on that before it was put back.
//
// Write fast path (tryLock): compare-and-swap from 0 (nobody holds, nobody
// waits) to rwWriter. Slow path (lock): add rwWaiterOne, which closes an
// RWSem to new readers, then spin a little and finally sleep, each time
// trying tryLockWaiting: compare-and-swap from a state with no reader and no
// writer to one with the writer bit set and one waiting writer fewer.
//
// Write release (unlock): compare-and-swap from rwWriter to 0 when no
// writer waits and no reader is pending; otherwise (unlockSlow) a
// compare-and-swap clearing rwWriter, refused when it is not set. It wakes
// one writer if any waits, and every sleeping reader (sleeping readers are
// not in the state word: unlock looks at rsleep after the swap). downgrade
// replaces rwWriter by one reader in a single compare-and-swap, so no
// writer can get in between, and wakes the sleeping readers.
//
// Readers can be let in only by unlock and downgrade (the only transitions
// that clear rwWriter; the waiting-writer count falls only as a writer takes
// the lock), and both wake the sleeping readers. Writers can be let in only
// when the reader count reaches zero (runlockSlow, undoRLock) or rwWriter
// is cleared (unlockSlow) while writers wait, and each of these wakes one;
// the fast paths run only when no writer waits.
//
// # Sleeping and waking
//
// A goroutine that must wait spins briefly (on a multi-core machine; the
// holders' critical sections are usually short), then sleeps on one of two
// condition variables of a rwqueue allocated at the first sleep: writers
// on writers, woken one at a time (Signal), readers on readers, woken all
// at once (Broadcast). A sleeper counts itself in wsleep or rsleep before it
// takes q.mu and tries again under it; a waker changes the state word
// first, then, if the counter is not zero, takes q.mu to signal. All of
// these are sequentially consistent atomics, so either the sleeper's try
// under q.mu sees the new state, or the waker sees the counter and its
// signal, sent under q.mu, finds the sleeper in the condition variable's
// list: no wake-up is lost. A woken writer that loses the race for the lock
// sleeps again; whoever beat it will release the lock and wake a writer
// then. The uncontended paths never touch rsleep, wsleep or q.
type rwcore struct {
	state  atomic.Int64
	rsleep atomic.Int32 // readers in sleepRead
	wsleep atomic.Int32 // writers in sleepWrite
	q      atomic.Pointer[rwqueue]
}

// rwqueue is where waiters sleep.
type rwqueue struct {
	mu      sync.Mutex
	readers sync.Cond // L is &mu
	writers sync.Cond // L is &mu
}

const (
	rwReaders   = 1<<32 - 1          // low 32 bits: readers holding (or pending)
	rwWriter    = 1 << 32            // a writer holds the lock
	rwWaiterOne = 1 << 33            // one waiting writer; the count sits above
	rwWaiters   = ^(rwWaiterOne - 1) // mask of the waiting-writer count
)

// Spinning: up to rwSpinRounds tries, each after watching the state word
// for up to rwSpinLoads loads for a change. Short on purpose: on a 2-core
// VM shared with other work, longer spins (8 x 50 loads and up) kept the
// holder's thread off the CPU and made BenchmarkRWParallel several times
// slower, while 0 to 4 x 40 measured alike within noise.
const (
	rwSpinRounds = 4
	rwSpinLoads  = 10
)

var rwCanSpin = runtime.NumCPU() > 1

// readOpen reports whether a reader may get in at state s (its own add not
// counted).
func readOpen(s int64, readerPrefer bool) bool {
	if readerPrefer {
		return s&rwWriter == 0
	}
	return s&(rwWriter|rwWaiters) == 0
}

// tryRLock is the read fast path: one add, taken back if the lock is not
// open to readers. tryRLockSem and tryRLockRec are its two policies, each
// small enough to inline.
func (c *rwcore) tryRLock(readerPrefer bool) bool {
	if readerPrefer {
		return c.tryRLockRec()
	}
	return c.tryRLockSem()
}

func (c *rwcore) tryRLockSem() bool {
	return c.state.Add(1)&(rwWriter|rwWaiters) == 0 || c.undoRLock()
}

func (c *rwcore) tryRLockRec() bool {
	return c.state.Add(1)&rwWriter == 0 || c.undoRLock()
}

// tryRLockCAS takes the read side only if the lock is open to readers,
// without a blind add: the slow path's try.
func (c *rwcore) tryRLockCAS(readerPrefer bool) bool {
	for {
		s := c.state.Load()
		if !readOpen(s, readerPrefer) {
			return false
		}
		if c.state.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

// undoRLock takes back a pending reader's add and returns false, for
// tryRLock. The decrement is guarded so that a misused runlock that took
// the count first cannot drive it below zero.
func (c *rwcore) undoRLock() bool {
	for {
		s := c.state.Load()
		if s&rwReaders == 0 {
			return false
		}
		if c.state.CompareAndSwap(s, s-1) {
			if s&rwReaders == 1 && s&rwWaiters != 0 {
				c.wakeWriter()
			}
			return false
		}
	}
}

func (c *rwcore) rlock(readerPrefer bool) {
	if c.tryRLock(readerPrefer) {
		return
	}
	c.rlockSlow(readerPrefer)
}

// rlockSlow waits for the read side: spin, then sleep.
func (c *rwcore) rlockSlow(readerPrefer bool) {
	for i := 0; ; i++ {
		if c.tryRLockCAS(readerPrefer) {
			return
		}
		if i == rwSpinRounds || !rwCanSpin {
			break
		}
		c.spin()
	}
	c.sleepRead(readerPrefer)
}

// runlock releases a read hold, or returns false if the lock is not
// read-locked. The fast path (see the protocol above) inlines.
func (c *rwcore) runlock() bool {
	return c.state.CompareAndSwap(1, 0) || c.runlockSlow()
}

func (c *rwcore) runlockSlow() bool {
	for {
		s := c.state.Load()
		if s&rwReaders == 0 || s&rwWriter != 0 {
			return false // not read-locked
		}
		if c.state.CompareAndSwap(s, s-1) {
			if s&rwReaders == 1 && s&rwWaiters != 0 {
				c.wakeWriter()
			}
			return true
		}
	}
}

// Method values for the validator's wait, called after the fast path has
// failed, one per reader policy.
func (c *rwcore) rlockSem() { c.rlockSlow(false) }
func (c *rwcore) rlockRec() { c.rlockSlow(true) }

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
	for i := 0; ; i++ {
		if c.tryLockWaiting() {
			return
		}
		if i == rwSpinRounds || !rwCanSpin {
			break
		}
		c.spin()
	}
	c.sleepWrite()
}

// unlock releases the write hold, or returns false if the lock is not
// write-locked. Like runlock's, the fast path guesses that no writer waits
// and no reader is pending; rsleep sits on the cache line the swap has just
// taken.
func (c *rwcore) unlock() bool {
	if c.state.CompareAndSwap(rwWriter, 0) {
		if c.rsleep.Load() != 0 {
			c.wakeReaders()
		}
		return true
	}
	return c.unlockSlow()
}

func (c *rwcore) unlockSlow() bool {
	for {
		s := c.state.Load()
		if s&rwWriter == 0 {
			return false // not write-locked
		}
		if c.state.CompareAndSwap(s, s-rwWriter) {
			if s&rwWaiters != 0 {
				c.wakeWriter()
			}
			c.wakeReaders()
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
			c.wakeReaders()
			return true
		}
	}
}

// readLocked reports whether a reader holds the lock. Pending readers are
// counted while no writer holds it; the window is a few instructions.
func (c *rwcore) readLocked() bool {
	s := c.state.Load()
	return s&rwReaders != 0 && s&rwWriter == 0
}

func (c *rwcore) writeLocked() bool { return c.state.Load()&rwWriter != 0 }

// spin watches the state word until it changes or rwSpinLoads loads have
// passed.
func (c *rwcore) spin() {
	s := c.state.Load()
	for i := 0; i < rwSpinLoads && c.state.Load() == s; i++ {
	}
}

// queue returns the rwqueue, allocating it on first use.
func (c *rwcore) queue() *rwqueue {
	if q := c.q.Load(); q != nil {
		return q
	}
	q := &rwqueue{}
	q.readers.L = &q.mu
	q.writers.L = &q.mu
	if c.q.CompareAndSwap(nil, q) {
		return q
	}
	return c.q.Load()
}

func (c *rwcore) sleepRead(readerPrefer bool) {
	q := c.queue()
	c.rsleep.Add(1)
	q.mu.Lock()
	for !c.tryRLockCAS(readerPrefer) {
		q.readers.Wait()
	}
	q.mu.Unlock()
	c.rsleep.Add(-1)
}

func (c *rwcore) sleepWrite() {
	q := c.queue()
	c.wsleep.Add(1)
	q.mu.Lock()
	for !c.tryLockWaiting() {
		q.writers.Wait()
	}
	q.mu.Unlock()
	c.wsleep.Add(-1)
}

// wakeWriter wakes one sleeping writer, if there is one. The caller has
// already made the change to the state word that may let it in.
func (c *rwcore) wakeWriter() {
	if c.wsleep.Load() == 0 {
		return
	}
	q := c.q.Load() // set before wsleep was counted up
	q.mu.Lock()
	q.writers.Signal()
	q.mu.Unlock()
}

// wakeReaders wakes every sleeping reader.
func (c *rwcore) wakeReaders() {
	if c.rsleep.Load() == 0 {
		return
	}
	q := c.q.Load()
	q.mu.Lock()
	q.readers.Broadcast()
	q.mu.Unlock()
}
