// Package onlyon is the TestMain of the packages whose tests are about
// what the validator reports, and so mean nothing when it is compiled out.
package onlyon

import (
	"fmt"
	"os"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
)

// Main runs m's tests and exits; in the lockdep_off build it runs none and
// says why.
func Main(m *testing.M) {
	if !lockdep.Enabled {
		fmt.Println("skipped: the validator is compiled out (-tags lockdep_off)")
		os.Exit(0)
	}
	os.Exit(m.Run())
}
