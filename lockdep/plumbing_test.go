package lockdep_test

import (
	"github.com/golockdep/lockdep/internal/plumbing"
	"github.com/golockdep/lockdep/lockdep"
)

// ld is the calls package locks makes through internal/plumbing, for the
// tests that drive the validator as a lock would.
var ld = plumbing.Get[*lockdep.Validator, *lockdep.Map, *lockdep.Event, *lockdep.Chan, lockdep.Mode]()
