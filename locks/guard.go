package locks

import (
	"sync"
	"unsafe"
)

// foreignGuards serialise the releases of locks by goroutines that do not
// hold them, per lock (striped by address): two such unlocks of one lock
// at once must not both find it locked, or the second would crash in
// package sync. The off build never takes them.
var foreignGuards [64]struct {
	sync.Mutex
	_ [56]byte
}

const guardCount = uintptr(len(foreignGuards))

func guardOf(p unsafe.Pointer) *sync.Mutex {
	a := uintptr(p)
	return &foreignGuards[(a>>4^a>>10)%guardCount].Mutex
}

// guard returns the foreign-unlock guard of d's lock.
func (d *depMap[K]) guard() *sync.Mutex { return guardOf(unsafe.Pointer(d)) }
