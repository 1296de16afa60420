package lockdep

import "strings"

// Waits and events: deadlocks through things that are not locks.
//
// A goroutine that holds lock L while it blocks waiting for an event E
// (a value on a channel, a WaitGroup reaching zero, a Cond's signal)
// deadlocks if the goroutine that would complete E must first take L.
// The lock graph alone never sees this: nobody ever holds E. The validator
// models E as a class of its own, with two kinds of dependency:
//
//   - a wait on E while holding L records L -> E, exactly as if E were a
//     lock acquired and released at once (the kernel's lock_map_acquire
//     around flush_work); Event.Wait.
//   - the completion of E records E -> L for every lock class L that the
//     completing goroutine took since its last wait (its region), and for
//     every lock it holds: those are the locks whoever waits for E needs
//     this goroutine to get before E happens; Event.Complete.
//
// A cycle through an event class is reported as WaitCircular, "possible
// deadlock through a wait", with the stacks of every link.
//
// The region. A goroutine's region starts when it begins and again after
// each of its waits (the waits of Event.Wait, not lock acquisitions), and
// it holds the classes of the outermost locks the goroutine took since:
// at most the last regionSize distinct ones, kept with the goroutine's
// task. Locks nested under an outermost one need no entry of their own:
// the graph has the outer -> nested dependency, so a cycle through them
// is found through the outer one. A goroutine whose task slot another
// goroutine took over while it held nothing loses its region (task.go):
// the validator then misses an edge, never invents one.
//
// What is not a wait is the caller's decision, documented where the
// events are made: package locks and the lockdepd test rewriter treat a
// select with a default case, a select with a timer or context case, and
// a send into a buffered channel that cannot be full as non-blocking.
//
// False positives the model admits: a completion charged with a lock
// that is unrelated to the wait that needed it (the region is a
// coarse "since the last wait"), and a wait that some other completer,
// one that needs no lock, always satisfies first. Annotate a wait that is
// safe by construction with Event.WaitUnchecked, which records nothing.

// regionSize bounds the lock classes a goroutine's region keeps.
const regionSize = 8

type regionEntry struct {
	c    *class
	mode Mode
}

// noteRegion adds an outermost acquisition to the goroutine's region.
func (t *task) noteRegion(c *class, mode Mode) {
	n := t.nregion
	if n > 0 {
		if last := &t.region[(n-1)%regionSize]; last.c == c && last.mode == mode {
			return
		}
	}
	if c.ki.event {
		return
	}
	t.region[n%regionSize] = regionEntry{c, mode}
	t.nregion = n + 1
}

// Event is a class of events goroutines wait for and complete. The class
// is the Event's key (all Events of one key are one class) or, for a nil
// key, the Event's own. Events are made by package locks for its Once,
// WaitGroup and Cond and for channels; make one directly to annotate any
// other wait:
//
//	var readyKey lockdep.Key
//	ready := lockdep.NewEvent("server ready", &readyKey)
//	...
//	ready.Wait()     // before blocking until the server is ready
//	<-readyCh
//	...
//	ready.Complete() // before the operation that makes it ready
//	close(readyCh)
type Event struct {
	m Map
}

// Event class names end in one of these, so that a report read anywhere
// (merged from another process, say) can tell a wait from a lock.
var eventSuffixes = []string{" (sent)", " (received)", " (done)", " (signalled)", " (event)"}

// isEventName reports whether a class name is an event class's.
func isEventName(name string) bool {
	for _, s := range eventSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// NewEvent returns an Event of the default validator named name; its
// class name is name + " (event)".
func NewEvent(name string, key *Key) *Event { return std.NewEvent(name, key) }

// NewEvent returns an Event belonging to v; see the package-level NewEvent.
func (v *Validator) NewEvent(name string, key *Key) *Event {
	return v.newEvent(name+" (event)", key)
}

func (v *Validator) newEvent(name string, key *Key) *Event {
	e := &Event{}
	e.m.Init(v, name, key)
	e.m.event = true
	return e
}

// newDeclaredEvent returns an Event of the default validator in the
// declared class name (see newDeclaredMap); name must end in one of the
// event suffixes, " (event)" is added otherwise.
func newDeclaredEvent(name string) *Event {
	if !isEventName(name) {
		name += " (event)"
	}
	e := &Event{}
	e.m.v, e.m.name, e.m.bySite, e.m.event = std, name, true, true
	e.m.site.Store(declaredSite(name, "event"))
	return e
}

// Name returns the Event's class name.
func (e *Event) Name() string { return e.m.className() }

// Wait records that the calling goroutine is about to block until the
// event happens: every lock it holds comes before the event. It also
// starts a new region. Call it before blocking, so that a deadlock is
// reported instead of hung on.
func (e *Event) Wait() {
	if !Enabled {
		return
	}
	v := e.m.validator()
	e.waitBy(v, v.tasks.ownTask(true))
}

// waitBy is Wait for the task t of the calling goroutine, already claimed:
// a new region, the wait announced to the hang watchdog, and the edges;
// the release in waitEdges settles t.
func (e *Event) waitBy(v *Validator, t *task) {
	t.nregion = 0
	t.publish()
	v.beginWait(t.goid, e.m.className())
	e.waitEdges()
}

// EndWait records that the wait announced by Wait is over, for the hang
// watchdog (hang.go); a wait never ended is reported after
// Options.HangTimeout.
func (e *Event) EndWait() {
	if Enabled {
		e.m.validator().endWait(curGoid())
	}
}

// waitEdges records the wait without touching the region: the held locks
// get their dependencies on the event as if it were a lock taken and
// dropped at once, checked and cached like any acquisition; the release
// settles the task again.
func (e *Event) waitEdges() {
	if v := e.m.validator(); v.opts.Shuffle != 0 {
		v.perturb()
	}
	e.m.acquire(0, Exclusive, false, nil)
	e.m.Release()
}

// WaitUnchecked starts a new region like Wait but records no dependency:
// for a wait that cannot deadlock by construction (say why where it is
// called), such as one that a goroutine taking no lock always completes.
func (e *Event) WaitUnchecked() {
	if !Enabled {
		return
	}
	v := e.m.validator()
	t := v.tasks.ownTask(true)
	t.nregion = 0
	t.publish()
	v.tasks.settle(t)
}

// Complete records that the calling goroutine makes the event happen:
// the event comes before every lock of its region and every lock it holds.
// Call it before the operation that completes the event.
func (e *Event) Complete() {
	if !Enabled {
		return
	}
	v := e.m.validator()
	t := v.tasks.ownTask(true)
	e.completeBy(v, t)
	t.publish()
	v.tasks.settle(t)
}

// completeBy is Complete for the task t of the calling goroutine, already
// claimed; the caller publishes and settles t.
func (e *Event) completeBy(v *Validator, t *task) {
	if ec := e.m.classFor(v, 0); ec != nil && !v.stopped.Load() {
		v.completeEvent(t, ec)
	}
}

// newSiteEvent returns an Event of the default validator whose class is
// the site of its first use, as newSiteMap does for locks: the class of a
// zero-value WaitGroup or Cond. kind should end in an event suffix
// ("WaitGroup (done)"); " (event)" is added otherwise.
func newSiteEvent(kind string) *Event {
	if !isEventName(kind) {
		kind += " (event)"
	}
	e := &Event{}
	e.m.v, e.m.name, e.m.bySite, e.m.event = std, kind, true, true
	return e
}
