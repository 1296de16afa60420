// Package onlyon is a TestMain helper of the module: it runs the tests
// and exits, so its m.Run() becomes lockdeptest.RunM(m).
package onlyon

import (
	"os"
	"testing"
)

func Main(m *testing.M) {
	os.Exit(m.Run())
}
