package lockdep

import (
	"sync"
	"sync/atomic"
)

// Chan is the validator's view of one class of channels (every channel
// made at one place, or stored in one field): two events, "a value was
// sent", which a receiver waits for and a send or close completes, and "a
// value was received", which a sender waits for and a receive completes.
//
// Which operations are waits:
//   - a receive waits for a send: whether a value is already there is this
//     run's timing, and another run may find the channel empty; except a
//     semaphore's release (below), which takes back a value the goroutine
//     put in the buffer itself;
//   - a send into an unbuffered channel waits for a receive;
//   - a send into a buffered channel waits for a receive only if the
//     buffer is full at the time of the send, or once the class is known
//     to be used as a semaphore: a goroutine received a value back from a
//     channel of the class that it had sent to itself (acquire, then
//     release). A buffered channel used to hand values to other goroutines
//     (a result, a done signal, a queue with room) is not a wait, because
//     a buffer that has room cannot block; the cost is that a semaphore's
//     sends before its class is recognised record nothing;
//   - close completes the sends and waits for nothing.
//
// Package locks (chanop) calls these around the real operation, and the
// lockdepd test rewriter calls package locks.
type Chan struct {
	sent, received *Event
	// semaphore: a goroutine took back a value it sent to a channel of
	// this class; sends into buffered channels are waits from then on.
	semaphore atomic.Bool
}

// NewChan returns the channel class name of the default validator, with a
// class per key (per Chan for a nil key).
func NewChan(name string, key *Key) *Chan { return std.NewChan(name, key) }

// NewChan returns a channel class of v; see the package-level NewChan.
func (v *Validator) NewChan(name string, key *Key) *Chan {
	var sk, rk *Key
	if key != nil {
		// Two classes per key: the key's address and one byte past it
		// would alias other keys, so the events get keys of their own,
		// made once per channel key.
		sk, rk = chanKeys(key)
	}
	return &Chan{sent: v.newEvent(name+" (sent)", sk), received: v.newEvent(name+" (received)", rk)}
}

var chanKeyPairs sync.Map // *Key -> *[2]Key

func chanKeys(k *Key) (*Key, *Key) {
	p, _ := chanKeyPairs.LoadOrStore(k, new([2]Key))
	ks := p.(*[2]Key)
	return &ks[0], &ks[1]
}

var declaredChans sync.Map // name -> *Chan

// declaredChan returns the channel class of the default validator declared
// as name (see newDeclaredMap): the same *Chan for every call with one name.
func declaredChan(name string) *Chan {
	if c, ok := declaredChans.Load(name); ok {
		return c.(*Chan)
	}
	c := &Chan{sent: newDeclaredEvent(name + " (sent)"), received: newDeclaredEvent(name + " (received)")}
	got, _ := declaredChans.LoadOrStore(name, c)
	return got.(*Chan)
}

// Send records a send on the channel ch (its address) of the class, which
// has room for capacity values and holds n now; call it just before the
// send.
func (c *Chan) Send(ch uintptr, capacity, n int) {
	if !Enabled {
		return
	}
	v := c.sent.m.validator()
	t := v.tasks.ownTask(true)
	c.sent.completeBy(v, t)
	t.lastSent = ch
	if capacity == 0 || n >= capacity || c.semaphore.Load() {
		c.received.waitBy(v, t)
		return
	}
	t.publish()
	v.tasks.settle(t)
}

// Recv records a receive from the channel ch of the class, which has room
// for capacity values; call it just before the receive.
//
// A receive from a buffered channel that the goroutine sent to last is a
// semaphore's release: the value it takes back is in the buffer, so the
// receive cannot block and is not a wait (it marks the class a semaphore).
func (c *Chan) Recv(ch uintptr, capacity int) {
	if !Enabled {
		return
	}
	v := c.received.m.validator()
	t := v.tasks.ownTask(true)
	c.received.completeBy(v, t)
	if ch != 0 && t.lastSent == ch && capacity > 0 {
		if !c.semaphore.Load() {
			c.semaphore.Store(true)
		}
		t.lastSent = 0
		t.publish()
		v.tasks.settle(t)
		return
	}
	c.sent.waitBy(v, t)
}

// EndWait records that the operation announced by Send or Recv is over,
// for the hang watchdog.
func (c *Chan) EndWait() { c.sent.EndWait() }

// Close records a close of a channel of the class: it completes the sends
// (every receiver wakes) and waits for nothing.
func (c *Chan) Close() { c.sent.Complete() }

// SelectCase is one channel case of a select statement, for Select.
type SelectCase struct {
	C        *Chan
	Ch       uintptr // the channel; 0 for a nil channel, which never proceeds
	Send     bool
	Cap, Len int // the channel's capacity and length, for a send
}

// Select records a select statement just before it runs. Any of its cases
// may be the one that proceeds in some run, so each completes its event
// (a send case the sends, a receive case the receives). If blocking, the
// select waits for each case's event as well, like the operation alone
// would (a send case only if it could block, see Chan). A select with a
// default case is not blocking; callers also treat one with a case on a
// timer or a context's Done channel as not blocking, since the timer or
// the cancellation ends the wait whatever the locks do.
func Select(blocking bool, cases ...SelectCase) {
	if !Enabled {
		return
	}
	for _, sc := range cases {
		if sc.Ch == 0 {
			continue
		}
		if sc.Send {
			sc.C.sent.Complete()
		} else {
			sc.C.received.Complete()
		}
	}
	if !blocking {
		return
	}
	waitCases(cases)
}

// SelectTimed records a select statement that has no default case but a
// case on a timer or a context's Done channel, just before it runs. Its
// cases complete their events as in Select; it is not a wait (the timer or
// the cancellation ends it whatever the locks do), but the goroutine does
// park there, so its region starts again: a loop that selects on a ticker
// does not charge every later completion with the locks it took before the
// loop.
func SelectTimed(cases ...SelectCase) {
	if !Enabled {
		return
	}
	Select(false, cases...)
	for _, sc := range cases {
		if sc.Ch != 0 {
			sc.C.sent.WaitUnchecked()
			return
		}
	}
}

// waitCases records a blocking select's waits: each case's event that
// the case's operation alone would wait for.
func waitCases(cases []SelectCase) {
	first := true
	for _, sc := range cases {
		if sc.Ch == 0 {
			continue
		}
		var e *Event
		switch {
		case !sc.Send:
			e = sc.C.sent
		case sc.Cap == 0 || sc.Len >= sc.Cap || sc.C.semaphore.Load():
			e = sc.C.received
		default:
			continue
		}
		if first {
			e.WaitUnchecked() // starts the new region
			first = false
		}
		e.waitEdges()
	}
}
