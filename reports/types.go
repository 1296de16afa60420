package reports

import (
	"fmt"
	"strings"

	"github.com/golockdep/lockdep/lockdep"
)

// depNames are the kernel's four dependency types in canonical order.
var depNames = [...]string{"EN", "ER", "SN", "SR"}

// Types is a set of dependency types: bit i is depNames[i].
type Types uint8

// ParseTypes parses the canonical form of a set of dependency types, as
// the validator writes it: "-(EN)->", "-(EN,SR)->". Types must be listed
// once each, in the order EN, ER, SN, SR.
func ParseTypes(s string) (Types, error) {
	in, ok := strings.CutPrefix(s, "-(")
	if ok {
		in, ok = strings.CutSuffix(in, ")->")
	}
	if !ok || in == "" {
		return 0, fmt.Errorf("dependency types %q: want the form -(EN,SR)->", s)
	}
	var t Types
	next := 0
	for _, part := range strings.Split(in, ",") {
		i := next
		for i < len(depNames) && depNames[i] != part {
			i++
		}
		if i == len(depNames) {
			return 0, fmt.Errorf("dependency types %q: %q unknown, repeated or out of order", s, part)
		}
		t |= 1 << i
		next = i + 1
	}
	return t, nil
}

// String is the canonical form ParseTypes reads.
func (t Types) String() string {
	var ps []string
	for i, n := range depNames {
		if t&(1<<i) != 0 {
			ps = append(ps, n)
		}
	}
	return "-(" + strings.Join(ps, ",") + ")->"
}

// Contains reports whether every type in u is in t.
func (t Types) Contains(u Types) bool { return t&u == u }

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
