// Package bank is the rewriter's sample: every kind of declaration.
package bank // the package clause keeps its comment

import (
	"sync"
	"unsafe"
)

// Mutex is the package's own type: never rewritten.
type Mutex struct{ n int }

func (m *Mutex) Lock()   { m.n++ }
func (m *Mutex) Unlock() { m.n-- }

type Account struct {
	mu      sync.Mutex
	own     Mutex
	balance int
}

type Ledger struct {
	sync.RWMutex
	entries []int
}

type Table struct {
	rows   []sync.Mutex
	byName map[string]*sync.Mutex
	shards [4]struct {
		mu sync.Mutex
		n  int
	}
	copied []sync.Mutex
	held   *sync.Mutex
}

var registry sync.RWMutex

var (
	a, b sync.Mutex
)

func NewTable(n int) *Table {
	t := &Table{rows: make([]sync.Mutex, n), byName: map[string]*sync.Mutex{}}
	t.copied = make([]sync.Mutex, n)
	t.held = &t.rows[0]
	return t
}

func (t *Table) Lock(name string) {
	registry.Lock()
	m := t.byName[name]
	if m == nil {
		m = new(sync.Mutex)
		t.byName[name] = m
		t.byName[name+"2"] = &sync.Mutex{}
	}
	registry.Unlock()
	m.Lock()
}

func use(ls []sync.Mutex) { _ = len(ls) }

func (t *Table) Copy() {
	use(t.copied)
	for i := range t.rows {
		t.rows[i].Lock()
		t.rows[i].Unlock()
	}
	t.shards[1].mu.Lock()
	t.shards[1].mu.Unlock()
}

func Transfer(from, to *Account, n int) {
	var mu sync.Mutex
	done := sync.Mutex{}
	lock := func() { mu.Lock() }
	lock()
	defer mu.Unlock()
	done.Lock()
	done.Unlock()
	from.mu.Lock()
	to.mu.Lock()
	from.balance -= n
	to.balance += n
	to.mu.Unlock()
	from.mu.Unlock()
	from.own.Lock()
	from.own.Unlock()
	c := sync.NewCond(&from.mu)
	_ = c
	lockPtr(&to.mu)
}

func lockPtr(m *sync.Mutex) { m.Lock(); m.Unlock() }

type hack struct{ mu sync.Mutex }

func (h *hack) raw() unsafe.Pointer { return unsafe.Pointer(&h.mu) }

func Reset(l *Ledger) {
	l.Lock()
	l.entries = nil
	l.RWMutex.Unlock()
	var x Account
	x.mu = sync.Mutex{}
}

// Pair declares two locks in one field, with a tag: each gets a class.
type Pair struct {
	left, right sync.Mutex `json:"-"`
}

var c, d sync.RWMutex

// Both locks one function declares in one statement, and a pointer to one.
func Both() *sync.Mutex {
	var e, f sync.Mutex
	e.Lock()
	f.Lock()
	f.Unlock()
	e.Unlock()
	c.RLock()
	d.Lock()
	d.Unlock()
	c.RUnlock()
	p := &Pair{}
	p.left.Lock()
	p.right.Lock()
	p.right.Unlock()
	p.left.Unlock()
	return &p.right
}
