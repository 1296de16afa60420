package locks

import (
	"sync"
	"sync/atomic"

	"github.com/golockdep/lockdep/lockdep"
)

// Once is a sync.Once validated as a lock around f: Do holds the Once's
// pseudo-lock while f runs (or while it waits for another goroutine's f),
// so a Once taken inside an ABBA with a lock is a cycle, and a Do called
// from its own f is a recursion. A Do after f has returned takes and drops
// the pseudo-lock too (it cannot block in this run, but in another run it
// may be the one that waits for f), at the cost of an uncontended lock;
// built with -tags lockdep_off it is sync.Once.Do.
//
// A Once must not be copied after first use.
type Once struct {
	_    noCopy
	dep  depMap[onceKind]
	done atomic.Bool
	o    sync.Once
}

// Do calls f if and only if Do is being called for the first time for
// this Once, as sync.Once.Do does.
func (o *Once) Do(f func()) {
	if !lockdep.Enabled {
		o.o.Do(f)
		return
	}
	if o.done.Load() {
		o.dep.acquire(0, lockdep.Exclusive, nil)
		o.dep.release()
		return
	}
	o.dep.acquire(0, lockdep.Exclusive, nil)
	defer o.release()
	o.o.Do(f)
}

func (o *Once) release() {
	o.done.Store(true)
	o.dep.release()
}
