// Package leakcheck is a TestMain helper shaped like goleak's
// VerifyTestMain: it takes the tests as an interface, runs them, checks
// something afterwards and exits. lockdepd test hands it
// lockdeptest.WrapM(m), so that a report still fails the binary.
package leakcheck

import "os"

// TestingM is what VerifyTestMain needs of *testing.M.
type TestingM interface {
	Run() int
}

// VerifyTestMain runs m's tests and exits with their status.
func VerifyTestMain(m TestingM, options ...string) {
	code := m.Run()
	os.Exit(code)
}
