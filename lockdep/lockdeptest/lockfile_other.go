//go:build !unix

package lockdeptest

// lockFile does not lock where flock is missing: write baselines from one
// test binary at a time there (go test -p 1).
func lockFile(name string) (unlock func(), err error) { return func() {}, nil }
