package daemon

import "sync"

// budget is a counting semaphore by bytes: the uploads stored and merged
// at once hold at most its capacity of JSON. Uploads are read and decoded
// a few at a time (Server.slots, the memory-heavy step); once decoded they
// wait here for their commit, so that many small uploads share one fsync
// while a few big ones cannot hold more than the budget.
type budget struct {
	mu   sync.Mutex
	cond sync.Cond
	cap  int64
	used int64
}

func newBudget(n int64) *budget {
	b := &budget{cap: n}
	b.cond.L = &b.mu
	return b
}

// acquire waits until n bytes are free (n is cut to the capacity).
func (b *budget) acquire(n int64) int64 {
	n = min(n, b.cap)
	b.mu.Lock()
	for b.used+n > b.cap {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
	return n
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}
