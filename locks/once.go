package locks

import (
	"sync"
	"sync/atomic"

	"github.com/golockdep/lockdep/lockdep"
)

// Once is a sync.Once whose slow path is validated as a lock around f:
// Do holds the Once's pseudo-lock while f runs (or while it waits for
// another goroutine's f), so a Once taken inside an ABBA with a lock is a
// cycle, and a Do called from its own f is a recursion. After f has
// returned, Do costs one atomic load, as sync.Once's does.
//
// A Once must not be copied after first use.
type Once struct {
	_    noCopy
	dep  depMap
	done atomic.Bool
	o    sync.Once
}

const onceKind = "Once"

// Do calls f if and only if Do is being called for the first time for
// this Once, as sync.Once.Do does.
func (o *Once) Do(f func()) {
	if !lockdep.Enabled || o.done.Load() {
		o.o.Do(f)
		return
	}
	o.dep.acquire(onceKind, 0, lockdep.Exclusive)
	defer o.release()
	o.o.Do(f)
}

func (o *Once) release() {
	o.done.Store(true)
	o.dep.release(onceKind)
}
