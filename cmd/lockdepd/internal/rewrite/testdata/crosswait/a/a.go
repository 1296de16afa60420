// Package a takes a WaitGroup from its caller.
package a

import "sync"

func Join(wg *sync.WaitGroup) { wg.Wait() }
