// Package leak is a TestMain helper shaped like goleak's VerifyTestMain:
// it takes the tests as an interface, runs them and exits, so lockdepd
// test hands it lockdeptest.WrapM(m) instead of m.
package leak

import "os"

type TestingM interface {
	Run() int
}

func VerifyTestMain(m TestingM, options ...string) {
	os.Exit(m.Run())
}
