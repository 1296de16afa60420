package leakuser

import "sync"

var mu sync.Mutex

func Touch() {
	mu.Lock()
	mu.Unlock()
}
