package ldtest

import (
	"os"
	"time"
)

// waitFor waits up to three minutes (a cold build) for file to appear.
func waitFor(file string) bool {
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(file); err == nil {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func now() time.Time { return time.Now() }

// since returns the whole seconds since t.
func since(t time.Time) int { return int(time.Since(t) / time.Second) }
