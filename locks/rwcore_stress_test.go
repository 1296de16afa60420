package locks

import (
	"fmt"
	"math/rand"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rwTimeout bounds every stress run; a run that does not finish in it has
// lost a wake-up or deadlocked, and the test fails with a goroutine dump.
const rwTimeout = time.Minute

// rwOps is the reader/writer interface the stress test drives: rwcore
// itself under either policy, or RWSem and RWLock through their public
// methods (which, with the validator on, go through its wait path).
type rwOps struct {
	rlock, runlock, lock, unlock func()
	tryRLock, tryLock            func() bool
	downgrade                    func() // nil if the lock has none
	free                         func() bool
}

func coreOps(c *rwcore, readerPrefer bool) rwOps {
	return rwOps{
		rlock:     func() { c.rlock(readerPrefer) },
		runlock:   func() { mustTrue("runlock", c.runlock()) },
		lock:      c.lock,
		unlock:    func() { mustTrue("unlock", c.unlock()) },
		tryRLock:  func() bool { return c.tryRLock(readerPrefer) },
		tryLock:   c.tryLock,
		downgrade: func() { mustTrue("downgrade", c.downgrade()) },
		free:      func() bool { return c.state.Load() == 0 && c.rsleep.Load() == 0 && c.wsleep.Load() == 0 },
	}
}

func mustTrue(what string, ok bool) {
	if !ok {
		panic(what + " of a lock held that way returned false")
	}
}

// rwChecker counts holders outside the lock and checks mutual exclusion on
// every acquisition; data is written by writers and read by readers
// without atomics, so that the race detector sees any overlap too.
type rwChecker struct {
	readers, writers atomic.Int32
	data             int
	errs             atomic.Int32
	first            atomic.Pointer[string]
}

func (k *rwChecker) fail(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	k.first.CompareAndSwap(nil, &s)
	k.errs.Add(1)
}

func (k *rwChecker) gotRead() int {
	k.readers.Add(1)
	if w := k.writers.Load(); w != 0 {
		k.fail("a reader got in while %d writer(s) hold the lock", w)
	}
	return k.data
}

func (k *rwChecker) putRead() { k.readers.Add(-1) }

func (k *rwChecker) gotWrite() {
	if w := k.writers.Add(1); w != 1 {
		k.fail("%d writers hold the lock at once", w)
	}
	if r := k.readers.Load(); r != 0 {
		k.fail("a writer got in while %d reader(s) hold the lock", r)
	}
	k.data++
}

func (k *rwChecker) putWrite() { k.writers.Add(-1) }

// toRead turns the writer's count into a reader's, before the downgrade.
func (k *rwChecker) toRead() {
	k.readers.Add(1)
	k.writers.Add(-1)
}

// hold spends a little time in a critical section, sometimes yielding or
// sleeping so that others queue up and go to sleep.
func hold(r *rand.Rand) {
	switch n := r.Intn(1000); {
	case n < 3:
		time.Sleep(time.Duration(r.Intn(50)) * time.Microsecond)
	case n < 300:
		runtime.Gosched()
	}
}

// stress runs goroutines that each do perG operations of every kind, picked
// at random, on one lock, and fails on any exclusion violation, on a run that
// does not finish within rwTimeout, or on a lock not left free.
func stress(t *testing.T, ops rwOps, goroutines, perG int) {
	t.Helper()
	var k rwChecker
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(seed int64) {
			defer wg.Done()
			r := rand.New(rand.NewSource(seed))
			for i := 0; i < perG; i++ {
				switch n := r.Intn(100); {
				case n < 55: // reader
					ops.rlock()
					_ = k.gotRead()
					hold(r)
					k.putRead()
					ops.runlock()
				case n < 65: // read trylock
					if ops.tryRLock() {
						_ = k.gotRead()
						hold(r)
						k.putRead()
						ops.runlock()
					}
				case n < 85: // writer
					ops.lock()
					k.gotWrite()
					hold(r)
					k.putWrite()
					ops.unlock()
				case n < 90: // write trylock
					if ops.tryLock() {
						k.gotWrite()
						hold(r)
						k.putWrite()
						ops.unlock()
					}
				default: // writer that downgrades
					ops.lock()
					k.gotWrite()
					if ops.downgrade == nil {
						k.putWrite()
						ops.unlock()
						continue
					}
					hold(r)
					k.toRead()
					ops.downgrade()
					_ = k.gotRead()
					hold(r)
					k.putRead()
					k.putRead()
					ops.runlock()
				}
			}
		}(int64(g) + 1)
	}
	waitOrDump(t, &wg, rwTimeout)
	if n := k.errs.Load(); n != 0 {
		t.Fatalf("%d exclusion violations; first: %s", n, *k.first.Load())
	}
	if !ops.free() {
		t.Fatal("the lock is not free after every goroutine released it")
	}
}

// waitOrDump waits for wg, or fails the test with every goroutine's stack.
func waitOrDump(t *testing.T, wg *sync.WaitGroup, timeout time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(timeout):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("the stress run did not finish within %v (lost wake-up or deadlock); goroutines:\n%s", timeout, buf)
	}
}

func stressSize() (goroutines, perG int) {
	if testing.Short() || raceOn {
		return 12, 2000
	}
	return 16, 10000
}

// TestRWCoreStress drives rwcore under both policies, with spinning on and
// off (off, every wait sleeps on the condition variables).
func TestRWCoreStress(t *testing.T) {
	g, n := stressSize()
	for _, spin := range []bool{true, false} {
		for _, prefer := range []bool{false, true} {
			name := fmt.Sprintf("readerPrefer=%v/spin=%v", prefer, spin)
			t.Run(name, func(t *testing.T) {
				defer func(old bool) { rwCanSpin = old }(rwCanSpin)
				rwCanSpin = spin && runtime.NumCPU() > 1
				var c rwcore
				stress(t, coreOps(&c, prefer), g, n)
			})
		}
	}
}

// TestRWSemRWLockStress drives the public types, whose contended paths go
// through the validator's wait with the validator on.
func TestRWSemRWLockStress(t *testing.T) {
	g, n := stressSize()
	n /= 2
	t.Run("RWSem", func(t *testing.T) {
		s := NewRWSem("stress.sem", nil)
		stress(t, rwOps{
			rlock: s.DownRead, runlock: s.UpRead, lock: s.DownWrite, unlock: s.UpWrite,
			tryRLock: s.DownReadTrylock, tryLock: s.DownWriteTrylock, downgrade: s.DowngradeWrite,
			free: func() bool { return !s.IsLocked() },
		}, g, n)
	})
	t.Run("RWLock", func(t *testing.T) {
		l := NewRWLock("stress.rwlock", nil)
		stress(t, rwOps{
			rlock: l.ReadLock, runlock: l.ReadUnlock, lock: l.WriteLock, unlock: l.WriteUnlock,
			tryRLock: l.ReadTryLock, tryLock: l.WriteTryLock,
			free: func() bool { return l.c.state.Load() == 0 },
		}, g, n)
	})
}

// TestRWCoreNotLocked: releasing a lock that is not held that way returns
// false and leaves the state word as it was; nothing panics.
func TestRWCoreNotLocked(t *testing.T) {
	var c rwcore
	check := func(what string, got bool, want int64) {
		t.Helper()
		if got {
			t.Errorf("%s returned true", what)
		}
		if s := c.state.Load(); s != want {
			t.Errorf("after %s: state %#x, want %#x", what, s, want)
		}
	}
	check("runlock of a free lock", c.runlock(), 0)
	check("unlock of a free lock", c.unlock(), 0)
	check("downgrade of a free lock", c.downgrade(), 0)

	c.lock()
	check("runlock of a write-locked lock", c.runlock(), rwWriter)
	if !c.writeLocked() || c.readLocked() {
		t.Error("write-locked: writeLocked false or readLocked true")
	}
	// A reader that finds the writer in is pending for a moment: its add is
	// still counted, and runlock must not take it for a hold.
	c.state.Add(1)
	check("runlock with a pending reader under a writer", c.runlock(), rwWriter+1)
	if c.readLocked() {
		t.Error("readLocked with only a pending reader under a writer")
	}
	c.undoRLock()
	if !c.unlock() {
		t.Fatal("unlock of a write-locked lock returned false")
	}

	c.rlock(false)
	check("unlock of a read-locked lock", c.unlock(), 1)
	check("downgrade of a read-locked lock", c.downgrade(), 1)
	if c.writeLocked() || !c.readLocked() {
		t.Error("read-locked: writeLocked true or readLocked false")
	}
	if !c.runlock() {
		t.Fatal("runlock of a read-locked lock returned false")
	}
	check("a second runlock", c.runlock(), 0)

	// undoRLock after a misused runlock took the pending reader's count:
	// the count stays at zero.
	c.undoRLock()
	check("undo with nothing counted", false, 0)

	c.lock()
	if !c.downgrade() || !c.readLocked() || c.writeLocked() {
		t.Fatal("downgrade did not leave one reader")
	}
	check("a second downgrade", c.downgrade(), 1)
	c.runlock()
	check("after the downgraded reader left", false, 0)
}
