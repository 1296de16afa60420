package scenario_test

import (
	"testing"

	"github.com/golockdep/lockdep/internal/onlyon"
)

// TestMain skips the package when the validator is compiled out: these
// tests are about what it reports.
func TestMain(m *testing.M) { onlyon.Main(m) }
