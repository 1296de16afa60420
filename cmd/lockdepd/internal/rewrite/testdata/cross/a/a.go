// Package a declares locks that package b stores into.
package a

import "sync"

type T struct {
	Mu    sync.Mutex
	Kept  sync.Mutex
	Locks []sync.Mutex
	Table [2]sync.Mutex
}
