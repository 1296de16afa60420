// Package swap nests two locks of one type in whatever order its caller
// gives: the same pair nested both ways can deadlock.
package swap

import "sync"

type Cell struct {
	mu sync.Mutex
	v  int
}

func Swap(a, b *Cell) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	a.v, b.v = b.v, a.v
}
