// Package shared has two types whose locks two other packages' tests nest
// in opposite orders: only the union of the two test binaries' graphs has
// the cycle.
package shared

import "sync"

type Cache struct{ mu sync.Mutex }

type Index struct{ mu sync.Mutex }

func (c *Cache) Lock()   { c.mu.Lock() }
func (c *Cache) Unlock() { c.mu.Unlock() }
func (x *Index) Lock()   { x.mu.Lock() }
func (x *Index) Unlock() { x.mu.Unlock() }
