// Package copied copies a lock by value, which go vet's copylocks check
// must flag after the conversion as it did before it.
package copied

import "sync"

// T has a lock.
type T struct {
	mu sync.Mutex
	rw sync.RWMutex
	n  int
}

// Snapshot returns a copy of t, lock included.
func Snapshot(t *T) T {
	return *t
}
