// Package slow has a test that waits, for the test that interrupts
// lockdepd test while go test runs.
package slow

import (
	"os"
	"sync"
	"testing"
	"time"
)

var mu sync.Mutex

func TestSlow(t *testing.T) {
	marker := os.Getenv("LDTEST_SLOW_MARKER")
	if marker == "" {
		t.Skip("run by tests/ldtest's interrupt test")
	}
	mu.Lock()
	defer mu.Unlock()
	if err := os.WriteFile(marker, []byte("running\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Minute)
}
