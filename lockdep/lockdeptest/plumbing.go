package lockdeptest

import (
	"github.com/golockdep/lockdep/internal/plumbing"
	"github.com/golockdep/lockdep/lockdep"
)

// ld is the validator's calls that only this module makes: here, the
// default validator itself, whose whole graph a test binary checks
// against a baseline or uploads.
var ld = plumbing.Get[*lockdep.Validator, *lockdep.Map, *lockdep.Event, *lockdep.Chan, lockdep.Mode]()
