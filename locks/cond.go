package locks

import "sync"

// Cond is a sync.Cond whose Wait is validated as a wait on an event that
// Signal and Broadcast complete (see lockdep.Event): a goroutine waiting
// while it holds a lock (other than L, which Wait releases) that the
// signalling goroutine takes first is a possible deadlock, reported even
// when this run does not hang.
//
// Cond keeps its own list of waiters (a channel each) in both builds,
// because the validator must see the wait after L is released and before
// the goroutine sleeps, which sync.Cond.Wait does in one step.
//
// A Cond must not be copied after first use.
type Cond struct {
	_ noCopy
	// L is held while observing or changing the condition.
	L  sync.Locker
	ev depEvent[condKind]

	mu      sync.Mutex // guards waiters; a leaf
	waiters []chan struct{}
}

// NewCond returns a new Cond with Locker l, in the class of the caller.
func NewCond(l sync.Locker) *Cond {
	c := &Cond{L: l}
	c.ev.resolve()
	return c
}

// Wait atomically unlocks c.L and suspends the goroutine until Signal or
// Broadcast wakes it, then locks c.L again before returning, as
// sync.Cond.Wait does.
func (c *Cond) Wait() {
	w := make(chan struct{})
	c.mu.Lock()
	c.waiters = append(c.waiters, w)
	c.mu.Unlock()
	c.L.Unlock()
	c.ev.wait()
	<-w
	c.ev.endWait()
	c.L.Lock()
}

// Signal wakes one goroutine waiting on c, if there is any.
func (c *Cond) Signal() {
	c.ev.complete()
	c.mu.Lock()
	if len(c.waiters) > 0 {
		close(c.waiters[0])
		c.waiters[0] = nil
		c.waiters = c.waiters[1:]
	}
	c.mu.Unlock()
}

// Broadcast wakes all goroutines waiting on c.
func (c *Cond) Broadcast() {
	c.ev.complete()
	c.mu.Lock()
	for _, w := range c.waiters {
		close(w)
	}
	c.waiters = nil
	c.mu.Unlock()
}
