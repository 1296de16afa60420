// Package b uses package a's locks: a literal stored from here demotes the
// declaration, a pointer taken from here is the declared lock's.
package b

import (
	"sync"

	"example.com/cross/a"
)

func Reset(t *a.T) {
	t.Mu = sync.Mutex{}
	t.Locks = make([]sync.Mutex, 3)
}

func Ptr(t *a.T) *sync.Mutex { return &t.Kept }

func First(t *a.T) *sync.Mutex { return &t.Table[0] }
