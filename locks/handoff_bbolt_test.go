//go:build !lockdep_off

package locks_test

import (
	"sync"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

// xdb has the locks of a real embedded store (bbolt's DB): a writer lock,
// a meta lock, and an RWMutex held for reading by every read transaction.
type xdb struct {
	rwlock, metalock locks.Mutex
	mmaplock         locks.RWMutex
}

func (db *xdb) beginRW() { db.rwlock.Lock(); db.metalock.Lock(); db.metalock.Unlock() }
func (db *xdb) begin()   { db.metalock.Lock(); db.mmaplock.RLock(); db.metalock.Unlock() }
func (db *xdb) rollback() {
	db.mmaplock.RUnlock()
	db.metalock.Lock()
	db.metalock.Unlock()
}
func (db *xdb) rollbackRW() { db.rwlock.Unlock() }

// TestHandoffManyReadTransactions is the pattern a real store's test
// suite uses: one goroutine holds the write transaction and begins read
// transactions, each handed to a goroutine that rolls it back. Seen from
// the validator before the hand-overs end, the begins look like recursive
// read locks and like a cycle through the meta lock; they are neither, and
// nothing is reported once the read transactions end elsewhere.
func TestHandoffManyReadTransactions(t *testing.T) {
	rec := lockdeptest.Capture(t)
	db := &xdb{}
	db.beginRW()
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		db.begin()
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(20 * time.Millisecond)
			db.rollback()
		}()
	}
	if n := len(lockdep.HeldLocks()); n != 6 {
		t.Fatalf("%d locks held, want the write lock and five read holds", n)
	}
	wg.Wait()
	db.rollbackRW()
	if held := lockdep.HeldLocks(); len(held) != 0 {
		t.Errorf("still held after the hand-overs: %v", held)
	}
	lockdep.FlushPending()
	wantKinds(t, rec)
}

// TestHandoffReadsThenWaitToWrite: the goroutine that began read
// transactions handed to others then waits to write the same RWMutex (a
// store remapping its file while committing): the others' RUnlocks must
// still find its read holds although its newest entry is a write waiting,
// and the self-deadlock that waiting to write while holding a read would
// be is not reported, since the reads were handed over.
func TestHandoffReadsThenWaitToWrite(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var rw locks.RWMutex
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		rw.RLock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			time.Sleep(20 * time.Millisecond) // the writer is waiting by now
			rw.RUnlock()
		}()
	}
	close(start)
	rw.Lock() // in this goroutine: its newest entry is a write it waits for
	rw.Unlock()
	wg.Wait()
	if held := lockdep.HeldLocks(); len(held) != 0 {
		t.Errorf("still held: %v", held)
	}
	lockdep.FlushPending()
	wantKinds(t, rec)
}
