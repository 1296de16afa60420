package reports

import (
	"github.com/golockdep/lockdep/internal/deptype"
	"github.com/golockdep/lockdep/lockdep"
)

// Types is a set of the kernel's dependency types, written "-(EN,SR)->";
// the codec is internal/deptype's, the validator's own.
type Types = deptype.Set

// ParseTypes reads the canonical form of a set of dependency types, as
// the validator writes it: "-(EN)->", "-(EN,SR)->", each type once, in the
// order EN, ER, SN, SR.
func ParseTypes(s string) (Types, error) { return deptype.Parse(s) }

// modeNames are lockdep.Mode's String forms.
var modeNames = map[string]lockdep.Mode{
	lockdep.Exclusive.String():     lockdep.Exclusive,
	lockdep.Shared.String():        lockdep.Shared,
	lockdep.RecursiveRead.String(): lockdep.RecursiveRead,
}

func parseMode(s string) (lockdep.Mode, bool) {
	m, ok := modeNames[s]
	return m, ok
}
