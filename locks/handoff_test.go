//go:build !lockdep_off

package locks_test

import (
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

// Hand-over of holds under Go's rules (lockdep's hold.go): what a hold
// taught is provisional until it ends; a hold released by another
// goroutine retracts it.

// TestHandoffReadRecursive: a goroutine begins two read "transactions" on
// one RWMutex and hands the first to another goroutine, which ends it.
// The second RLock looked recursive, but the first hold was not the
// goroutine's own: no report. Ended by the goroutine itself, the same
// program is a recursive read lock, reported.
func TestHandoffReadRecursive(t *testing.T) {
	for _, handed := range []bool{true, false} {
		rec := lockdeptest.Capture(t)
		var rw locks.RWMutex
		rw.RLock() // tx1
		rw.RLock() // tx2
		if handed {
			done := make(chan struct{})
			go func() { rw.RUnlock(); close(done) }() // tx1, rolled back elsewhere
			<-done
		} else {
			rw.RUnlock()
		}
		rw.RUnlock()
		lockdep.FlushPending()
		if handed {
			wantKinds(t, rec)
		} else {
			wantKinds(t, rec, lockdep.Recursive)
		}
	}
}

// TestHandoffRetractsDependency: a goroutine locks tx, then n, while tx is
// in fact handed to another goroutine that unlocks it. The dependency
// tx -> n it seemed to create is retracted, so the opposite order taken
// later by anyone is no cycle; and a report found meanwhile against it is
// dropped.
func TestHandoffRetractsDependency(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var tx, n locks.Mutex
	tx.Lock()
	n.Lock()
	n.Unlock()
	handOff(tx.Unlock)
	other := newWorker(t)
	other.run(func() {
		n.Lock()
		tx.Lock()
		tx.Unlock()
		n.Unlock()
	})
	lockdep.FlushPending()
	wantKinds(t, rec)

	// The report found while the handed-over hold was open is dropped too.
	tx.Lock()
	n.Lock() // n -> tx is known now: a cycle, if tx were this goroutine's
	n.Unlock()
	handOff(tx.Unlock)
	lockdep.FlushPending()
	wantKinds(t, rec)

	// Released by its own goroutine, the same order is reported.
	tx.Lock()
	n.Lock()
	n.Unlock()
	tx.Unlock()
	wantKinds(t, rec, lockdep.Circular)
}

func handOff(unlock func()) {
	done := make(chan struct{})
	go func() { unlock(); close(done) }()
	<-done
}

// TestDeadlockReportedWhileBlocked: a real ABBA deadlock. The report waits
// on holds that never end, but the goroutines block on locks while holding
// them, so it is made within a second; then the test breaks the deadlock
// by unlocking A from outside.
func TestDeadlockReportedWhileBlocked(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var a, b locks.Mutex
	aHeld, bHeld := make(chan struct{}), make(chan struct{})
	done1, done2 := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done1)
		a.Lock()
		close(aHeld)
		<-bHeld
		b.Lock() // blocks: the second goroutine holds b
		b.Unlock()
	}()
	go func() {
		defer close(done2)
		<-aHeld
		b.Lock()
		close(bHeld)
		time.Sleep(10 * time.Millisecond) // let the first block on b
		a.Lock()                          // blocks: a deadlock
		a.Unlock()
		b.Unlock()
	}()
	deadline := time.Now().Add(10 * time.Second)
	for len(rec.Reports()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no report while two goroutines are deadlocked")
		}
		time.Sleep(10 * time.Millisecond)
	}
	wantKinds(t, rec, lockdep.Circular)
	a.Unlock() // break it: Go lets any goroutine unlock
	<-done2
	<-done1
	lockdep.FlushPending()
	wantKinds(t, rec)
}
