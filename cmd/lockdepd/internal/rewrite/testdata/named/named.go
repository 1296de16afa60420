package named

import "sync"

// TestMain is a type of the package's own, not a test's main: the
// generated TestMain cannot go into this package.
type TestMain struct{ mu sync.Mutex }

func (t *TestMain) Touch() {
	t.mu.Lock()
	t.mu.Unlock()
}
