// Package shadow: what must not be rewritten, or only so far.
package shadow

import (
	"reflect"
	s "sync"
	"unsafe"
)

// Alias names sync.Mutex another way: its uses are locks.Mutex.
type Alias = s.Mutex

type Guarded[T any] struct {
	mu  s.RWMutex
	val T
	al  Alias
}

func (g *Guarded[T]) Get() T {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.val
}

type fake struct{ Mutex int }

// Shadow has a local variable named like the package.
func Shadow() int {
	sync := fake{Mutex: 3}
	return sync.Mutex
}

type probe struct {
	mu   s.Mutex
	seen s.Mutex
}

func (p *probe) kind() string { return reflect.ValueOf(&p.seen).Type().String() }

func raw(p unsafe.Pointer) { (*s.Mutex)(p).Lock() }

func offset() uintptr { return unsafe.Offsetof(probe{}.mu) }
