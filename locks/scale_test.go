//go:build !lockdep_off

package locks_test

import (
	"sync"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

// TestManyLiveGoroutines: far more goroutines than the task table has
// slots, alive at once, some parked holding a lock (overflow tasks), the
// others parked after locking once (idle slots handed over to newcomers).
// Nothing stops the world on the way; everything is released, no report.
// 100,000 without -short.
func TestManyLiveGoroutines(t *testing.T) {
	rec := lockdeptest.Capture(t)
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	var shared locks.Mutex
	park := make(chan struct{})
	var locked, done sync.WaitGroup
	for i := 0; i < n; i++ {
		locked.Add(1)
		done.Add(1)
		go func(hold bool) {
			defer done.Done()
			var own locks.Mutex
			own.Lock()
			shared.Lock()
			shared.Unlock()
			if !hold {
				own.Unlock()
			}
			locked.Done()
			<-park
			if hold {
				own.Unlock()
			}
		}(i%4 == 0)
	}
	locked.Wait()
	if got, want := len(lockdep.AllHeldLocks()), (n+3)/4; got != want {
		t.Errorf("%d goroutines listed as holding locks, want %d", got, want)
	}
	close(park)
	done.Wait()
	wantKinds(t, rec)
	if got := len(lockdep.AllHeldLocks()); got != 0 {
		t.Fatalf("%d goroutines still listed as holding locks", got)
	}
	if n := lockdep.CheckExited(); n != 0 {
		t.Fatalf("CheckExited found %d", n)
	}
}

// TestConcurrentForeignUnlock: two goroutines that do not hold a locked
// lock unlock it at the same moment. One unlock is legal (Go's rules), the
// other finds it unlocked: one report, no crash, and the lock still works.
func TestConcurrentForeignUnlock(t *testing.T) {
	rounds := 300
	if testing.Short() {
		rounds = 50
	}
	for _, kind := range []string{"Mutex", "RWMutex.write", "RWMutex.read", "RWSem.read"} {
		t.Run(kind, func(t *testing.T) {
			rec := lockdeptest.Capture(t)
			for i := 0; i < rounds; i++ {
				var mu locks.Mutex
				var rw locks.RWMutex
				var sem locks.RWSem
				var lock, unlock func()
				switch kind {
				case "Mutex":
					lock, unlock = mu.Lock, mu.Unlock
				case "RWMutex.write":
					lock, unlock = rw.Lock, rw.Unlock
				case "RWMutex.read":
					lock, unlock = rw.RLock, rw.RUnlock
				case "RWSem.read":
					lock, unlock = sem.RLock, sem.RUnlock
				}
				held := make(chan struct{})
				go func() { lock(); close(held) }()
				<-held
				var wg sync.WaitGroup
				start := make(chan struct{})
				for j := 0; j < 2; j++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						unlock()
					}()
				}
				close(start)
				wg.Wait()
				// The same problem is reported once: in later rounds the
				// locks are new instances of the same site class.
				rs := rec.Reports()
				if i == 0 && (len(rs) != 1 || rs[0].Kind != lockdep.BadUnlock || rs[0].Locked) {
					t.Fatalf("reports %v, want one bad-unlock of an unlocked lock", kindsOf(rs))
				}
				if i > 0 && len(rs) != 0 {
					t.Fatalf("round %d: reports %v, want none (reported in round 0)", i, kindsOf(rs))
				}
				rec.Clear()
				lock() // the lock still works
				unlock()
				wantKinds(t, rec)
			}
			lockdep.CheckExited()
		})
	}
}

func kindsOf(rs []*lockdep.Report) []lockdep.Kind {
	var ks []lockdep.Kind
	for _, r := range rs {
		ks = append(ks, r.Kind)
	}
	return ks
}

// TestForeignRUnlockAmbiguous: with two readers holding a lock, an RUnlock
// by a third goroutine cannot be charged to either. Neither keeps the lock
// in its dependencies afterwards (no false cycle through it), and each
// reader's own later RUnlock is accepted silently.
func TestForeignRUnlockAmbiguous(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var rw locks.RWMutex
	var x locks.Mutex
	a, c := newWorker(t), newWorker(t)
	a.run(rw.RLock)
	c.run(rw.RLock)
	rw.RUnlock() // a's read lock, handed over; the validator cannot tell
	wantKinds(t, rec)
	a.run(func() { x.Lock(); x.Unlock() })
	c.run(func() { x.Lock(); x.Unlock() })
	// The opposite order, in another goroutine: a cycle only if a or c
	// were still taken to hold rw.
	x.Lock()
	rw.RLock()
	rw.RUnlock()
	x.Unlock()
	c.run(rw.RUnlock)
	wantKinds(t, rec)
	rw.Lock() // both read holds are gone
	rw.Unlock()
	wantKinds(t, rec)
}

// TestForeignRUnlockAfterAmbiguity: after an ambiguous foreign RUnlock
// (two readers), the other reader's hold is also unlocked by a third
// goroutine. The validator knows no holder any more, but the RWMutex is
// read-locked: the RUnlock is legal and must be done, or a writer would
// wait forever (found on a real store's transactions, rolled back from
// other goroutines).
func TestForeignRUnlockAfterAmbiguity(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var rw locks.RWMutex
	a, c := newWorker(t), newWorker(t)
	a.run(rw.RLock)
	c.run(rw.RLock)
	rw.RUnlock() // one of them, handed over
	done := make(chan struct{})
	go func() { rw.RUnlock(); close(done) }() // the other, by yet another goroutine
	<-done
	within(t, "a writer after both read holds were released", func() {
		rw.Lock()
		rw.Unlock()
	})
	wantKinds(t, rec)
	// And a real double RUnlock is still reported and harmless.
	rw.RUnlock()
	r := wantKinds(t, rec, lockdep.BadUnlock)[0]
	if r.Locked {
		t.Errorf("report says locked")
	}
	within(t, "the lock still works", func() {
		rw.Lock()
		rw.Unlock()
	})
}
