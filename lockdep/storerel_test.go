package lockdep

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestStoreRelease checks the release store: the value lands, and a writer's
// earlier plain writes are seen by a reader that took the word with a
// compare-and-swap (the hand-over of an idle task slot).
func TestStoreRelease(t *testing.T) {
	var w atomic.Int64
	storeRelease(&w, 42)
	if got := w.Load(); got != 42 {
		t.Fatalf("storeRelease: got %d, want 42", got)
	}
	const rounds = 20000
	var data [4]int64
	w.Store(0)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := int64(1); i <= rounds; i++ {
			for w.Load() != 2*i-2 { // the reader has not checked the previous round yet
				runtime.Gosched()
			}
			for j := range data {
				data[j] = i
			}
			storeRelease(&w, 2*i-1)
		}
	}()
	for i := int64(1); i <= rounds; i++ {
		for !w.CompareAndSwap(2*i-1, -1) { // taken: the writer waits
			runtime.Gosched()
		}
		for j := range data {
			if data[j] != i {
				t.Fatalf("round %d: data[%d] = %d after the release store's value was taken", i, j, data[j])
			}
		}
		w.Store(2 * i) // the writer's next round may start
	}
	wg.Wait()
}
