package lockdep

import (
	"sync"
	"testing"

	"github.com/petermattis/goid"
)

// TestGoidSelfCheck: the start-up check agrees with itself in many
// goroutines, and the slow path it falls back to parses what
// runtime.Stack prints.
func TestGoidSelfCheck(t *testing.T) {
	if !goidFast {
		t.Log("the fast goroutine id was rejected at start-up; the slow path is in use")
	}
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s, f := slowGoid(), goid.Get(); s != f || s <= 0 {
				t.Errorf("slow id %d, fast id %d", s, f)
			}
		}()
	}
	wg.Wait()
	for in, want := range map[string]int64{
		"goroutine 1 [running]:\n":            1,
		"goroutine 123456789 [chan receive]:": 123456789,
		"goroutine x [running]:":              -1,
		"":                                    -1,
	} {
		if got := parseGoid([]byte(in)); got != want {
			t.Errorf("parseGoid(%q) = %d, want %d", in, got, want)
		}
	}
}
