//go:build !lockdep_off

package locks

import (
	"sync/atomic"

	"github.com/golockdep/lockdep/lockdep"
)

// depEvent links a WaitGroup or Cond to its lockdep.Event, made on first
// use in the class of the site that uses it first (lockdep.NewSiteEvent).
type depEvent struct {
	p atomic.Pointer[lockdep.Event]
}

func (d *depEvent) get(kind string) *lockdep.Event {
	if e := d.p.Load(); e != nil {
		return e
	}
	return d.lazy(kind)
}

//go:noinline
func (d *depEvent) lazy(kind string) *lockdep.Event {
	e := lockdep.NewSiteEvent(kind)
	if d.p.CompareAndSwap(nil, e) {
		return e
	}
	return d.p.Load()
}

// resolve fixes the event's class at the calling site now, so that the
// class does not depend on which goroutine happens to use it first.
func (d *depEvent) resolve(kind string) { d.get(kind).Name() }

func (d *depEvent) wait(kind string)     { d.get(kind).Wait() }
func (d *depEvent) complete(kind string) { d.get(kind).Complete() }
func (d *depEvent) endWait(kind string)  { d.get(kind).EndWait() }
