package locks

import (
	"github.com/golockdep/lockdep/internal/plumbing"
	"github.com/golockdep/lockdep/lockdep"
)

// ld is the validator's calls that only lock implementations make (a
// zero-value lock's class, contended waits, unlocks by goroutines that do
// not hold the lock), kept out of package lockdep's API.
var ld = plumbing.Get[*lockdep.Validator, *lockdep.Map, *lockdep.Event, *lockdep.Chan, lockdep.Mode]()
