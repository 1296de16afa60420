// Package clean uses locks in every way the rewrite must handle, all in
// orders that cannot deadlock: lockdepd test must find nothing here.
package clean

import (
	"sync"
	"unsafe"
)

// Mutex is this module's own type: the rewrite must leave it alone.
type Mutex struct{ locks int }

func (m *Mutex) Lock()   { m.locks++ }
func (m *Mutex) Unlock() {}

// Stats embeds its mutex.
type Stats struct {
	sync.Mutex
	hits int
	own  Mutex
}

func (s *Stats) Hit() {
	s.Lock()
	s.hits++
	s.Mutex.Unlock()
	s.own.Lock()
	s.own.Unlock()
}

// registry is a package-level RWMutex guarding a map of entries, each
// with a mutex of its own, taken under the registry's read lock.
var (
	registry sync.RWMutex
	entries  = map[string]*entry{}
)

type entry struct {
	mu sync.Mutex
	n  int
}

func Add(name string) {
	registry.Lock()
	defer registry.Unlock()
	if entries[name] == nil {
		entries[name] = &entry{}
	}
}

func Bump(name string) int {
	registry.RLock()
	defer registry.RUnlock()
	e := entries[name]
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n++
	return e.n
}

// Table keeps a lock per key, made on first use, and a striped array.
type Table struct {
	mu     sync.Mutex
	byKey  map[string]*sync.Mutex
	stripe []sync.RWMutex
}

func NewTable() *Table {
	return &Table{byKey: map[string]*sync.Mutex{}, stripe: make([]sync.RWMutex, 4)}
}

func (t *Table) keyLock(k string) *sync.Mutex {
	t.mu.Lock()
	defer t.mu.Unlock()
	m, ok := t.byKey[k]
	if !ok {
		m = new(sync.Mutex)
		t.byKey[k] = m
	}
	return m
}

func (t *Table) With(k string, f func()) {
	m := t.keyLock(k)
	m.Lock()
	defer m.Unlock()
	s := &t.stripe[len(k)%len(t.stripe)]
	s.RLock()
	defer s.RUnlock()
	f()
}

// Count increments a counter from n goroutines under a local mutex that
// the closures capture.
func Count(n int) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			total++
			mu.Unlock()
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return total
}

// Wait waits on a condition over an embedded mutex.
func (s *Stats) Wait(n int) {
	c := sync.NewCond(&s.Mutex)
	go func() {
		s.Lock()
		s.hits = n
		s.Unlock()
		c.Broadcast()
	}()
	s.Lock()
	for s.hits < n {
		c.Wait()
	}
	s.Unlock()
}

// raw hands its mutex's memory to unsafe code: the rewrite cannot change
// its layout and leaves it alone, saying so.
type raw struct{ mu sync.Mutex }

func (r *raw) Addr() uintptr { return uintptr(unsafe.Pointer(&r.mu)) }

// Pair declares its two locks in one field: each gets a class of its own,
// and they are always taken left then right.
type Pair struct {
	left, right sync.Mutex
	n           int
}

func (p *Pair) Both() {
	p.left.Lock()
	p.right.Lock()
	p.n++
	p.right.Unlock()
	p.left.Unlock()
}
