package fsimpl

import (
	"fmt"
	"os"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
)

// TestMain skips the package when the validator is compiled out: these
// tests are about what it reports.
func TestMain(m *testing.M) {
	if !lockdep.Enabled {
		fmt.Println("skipped: the validator is compiled out (-tags lockdep_off)")
		os.Exit(0)
	}
	os.Exit(m.Run())
}
