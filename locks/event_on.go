//go:build !lockdep_off

package locks

import (
	"sync/atomic"

	"github.com/golockdep/lockdep/lockdep"
)

// depEvent links a WaitGroup or Cond (of kind K, see lockKind) to its lockdep.Event, made on first
// use in the class of the site that uses it first (plumbing.Hooks.NewSiteEvent).
type depEvent[K lockKind] struct {
	p atomic.Pointer[lockdep.Event]
}

func (d *depEvent[K]) get() *lockdep.Event {
	e := d.p.Load()
	if e == nil {
		e = d.lazy() // the first use of a zero-value lock
	}
	return e
}

//go:noinline
func (d *depEvent[K]) lazy() *lockdep.Event {
	var k K
	e := ld.NewSiteEvent(k.kindName())
	if d.p.CompareAndSwap(nil, e) {
		return e
	}
	return d.p.Load()
}

// resolve fixes the event's class at the calling site now, so that the
// class does not depend on which goroutine happens to use it first.
func (d *depEvent[K]) resolve() { d.get().Name() }

func (d *depEvent[K]) wait()     { d.get().Wait() }
func (d *depEvent[K]) complete() { d.get().Complete() }
func (d *depEvent[K]) endWait()  { d.get().EndWait() }
