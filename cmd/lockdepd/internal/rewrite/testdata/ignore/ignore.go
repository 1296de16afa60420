// Package ignore: locks whose declaration carries //lockdepd:ignore stay
// package sync, each next to one that does not and is rewritten.
package ignore

import "sync"

// Harness is a test harness's state: its own lock is taken inside the
// validator's report handler.
type Harness struct {
	mu      sync.Mutex //lockdepd:ignore
	checked sync.Mutex

	// shards are the harness's too.
	//
	//lockdepd:ignore
	shards []sync.RWMutex
	byName map[string]*sync.Mutex //lockdepd:ignore
	others map[string]*sync.Mutex
}

// Counter is a primitive annotated by hand: its Cond is left alone, its
// WaitGroup is not.
type Counter struct {
	mu    sync.Mutex
	cond  sync.Cond //lockdepd:ignore
	conds [2]sync.Cond
	wg    sync.WaitGroup
	idle  sync.WaitGroup //lockdepd:ignore
	n     int
}

func (c *Counter) Wait() {
	c.cond.L = &c.mu
	c.mu.Lock()
	for c.n > 0 {
		c.cond.Wait()
	}
	c.mu.Unlock()
	c.wg.Wait()
	c.idle.Wait()
	c.conds[0].Broadcast()
}

// Embedded: the directive on an embedded field.
type Embedded struct {
	sync.Mutex //lockdepd:ignore
	n          int
}

var (
	global  sync.RWMutex //lockdepd:ignore
	checked sync.RWMutex
)

//lockdepd:ignore
var lazy = new(sync.Mutex)

var lazyChecked = new(sync.Mutex)

//lockdepd:ignore
var later *sync.Mutex

func (h *Harness) Add(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checked.Lock()
	h.checked.Unlock()
	h.byName[name] = new(sync.Mutex)
	h.others[name] = new(sync.Mutex)
	h.shards[0].RLock()
	h.shards[0].RUnlock()
}

func Run(e *Embedded) int {
	var mu sync.Mutex //lockdepd:ignore
	var mine sync.Mutex
	mu.Lock()
	mine.Lock()
	global.Lock()
	checked.Lock()
	lazy.Lock()
	lazyChecked.Lock()
	later = new(sync.Mutex)
	later.Lock()
	e.Lock()
	defer e.Unlock()
	later.Unlock()
	lazyChecked.Unlock()
	lazy.Unlock()
	checked.Unlock()
	global.Unlock()
	mine.Unlock()
	mu.Unlock()
	return e.n
}
