// Package leaky takes two locks in both orders, in two tests of a binary
// whose TestMain hands m to a helper that takes it as an interface.
package leaky

import "sync"

var first sync.Mutex

var second sync.Mutex

// Forward takes first, then second.
func Forward() {
	first.Lock()
	second.Lock()
	second.Unlock()
	first.Unlock()
}

// Backward takes second, then first.
func Backward() {
	second.Lock()
	first.Lock()
	first.Unlock()
	second.Unlock()
}
