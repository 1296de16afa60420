// Package store is a small cache in the shape of real Go code, written
// against package sync; the drop-in test converts it to package locks with
// the README's sed line and runs its tests.
package store

import (
	"sort"
	"sync"
)

// Cache embeds its RWMutex, as much real code does.
type Cache struct {
	sync.RWMutex
	items map[string]int
	hits  counter
}

type counter struct {
	mu sync.Mutex
	n  int
}

// New returns an empty cache.
func New() *Cache { return &Cache{items: map[string]int{}} }

// Get reads under the read lock and counts hits under a nested mutex.
func (c *Cache) Get(k string) (int, bool) {
	c.RLock()
	defer c.RUnlock()
	v, ok := c.items[k]
	if ok {
		c.hits.mu.Lock()
		c.hits.n++
		c.hits.mu.Unlock()
	}
	return v, ok
}

// Set writes under the write lock.
func (c *Cache) Set(k string, v int) {
	c.Lock()
	defer c.Unlock()
	c.items[k] = v
}

// Len uses RLocker through sync.Locker.
func (c *Cache) Len() int {
	n := 0
	withLock(c.RLocker(), func() { n = len(c.items) })
	return n
}

func withLock(l sync.Locker, f func()) {
	l.Lock()
	defer l.Unlock()
	f()
}

// Sharded keeps a pointer to a lock made with a composite literal.
type Sharded struct {
	shards [8]shard
}

type shard struct {
	mu *sync.RWMutex
	m  map[string]int
}

// NewSharded makes the shards.
func NewSharded() *Sharded {
	s := &Sharded{}
	for i := range s.shards {
		s.shards[i] = shard{mu: &sync.RWMutex{}, m: map[string]int{}}
	}
	return s
}

func (s *Sharded) shard(k string) *shard {
	h := 0
	for _, c := range k {
		h = h*31 + int(c)
	}
	if h < 0 {
		h = -h
	}
	return &s.shards[h%len(s.shards)]
}

// Put writes one key.
func (s *Sharded) Put(k string, v int) {
	sh := s.shard(k)
	sh.mu.Lock()
	sh.m[k] = v
	sh.mu.Unlock()
}

// Keys takes every shard's read lock at once, in shard order.
func (s *Sharded) Keys() []string {
	for i := range s.shards {
		s.shards[i].mu.RLock()
	}
	var ks []string
	for i := range s.shards {
		for k := range s.shards[i].m {
			ks = append(ks, k)
		}
	}
	for i := range s.shards {
		s.shards[i].mu.RUnlock()
	}
	sort.Strings(ks)
	return ks
}

// Account is locked two at a time, by id.
type Account struct {
	ID      int
	mu      sync.Mutex
	Balance int
}

// Transfer locks both accounts in id order.
func Transfer(from, to *Account, n int) {
	a, b := from, to
	if a.ID > b.ID {
		a, b = b, a
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	from.Balance -= n
	to.Balance += n
}

// Queue waits on a sync.Cond over a converted mutex.
type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

// NewQueue makes a queue.
func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Push adds an item.
func (q *Queue) Push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

// Pop waits for an item.
func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// Tx holds the store's lock from Begin until Commit, which another
// goroutine may call: Go allows unlocking a mutex from any goroutine.
type Tx struct{ s *Store }

// Store serialises transactions.
type Store struct {
	mu   sync.Mutex
	data int
}

// Begin locks the store.
func (s *Store) Begin() *Tx {
	s.mu.Lock()
	return &Tx{s: s}
}

// Commit unlocks it.
func (tx *Tx) Commit(v int) {
	tx.s.data = v
	tx.s.mu.Unlock()
}
