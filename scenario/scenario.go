package scenario

import (
	"fmt"
	"strings"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/lockdep"
)

// Scenario is one executable story from the seed discussions: a file
// system design, a deterministic script that drives the race the
// discussion is about through its pause points, a random stress workload
// on top, and what the run must show.
type Scenario struct {
	Name   string
	Design string // fsimpl design name
	Seed   string // the seed discussion it comes from ("" if none)
	// Summary is one line for people who are not kernel developers
	// ('lockdepd scenario list'); Doc is the full story.
	Summary string
	Doc     string
	Expect  Expect
	// InstanceOrders turns on the validator's per-class instance orders
	// (fsimpl.SetInstanceOrders): comparison functions like the kernel's
	// lock_set_cmp_fn (6.4+), which the kernel does not set on i_rwsem,
	// invalidate_lock or ILOCK.
	InstanceOrders bool
	// CompareClassic runs the scenario once more without instance orders
	// first and says in the result how many reports subclass-only
	// validation made.
	CompareClassic bool
	Script         func(e *Env) error
	Stress         Stress
}

// Description is the scenario's Doc, and for a scenario with a random
// workload why its counts vary from run to run.
func (s *Scenario) Description() string {
	if s.Stress.Skip != "" || len(s.Stress.Ops) == 0 {
		return s.Doc + ". No random workload: " + s.Stress.Skip + "."
	}
	return s.Doc + ". " + varyNote
}

// varyNote says why a random workload's counts are not reproducible.
const varyNote = "What the scripted race shows is the same on every run; the random workload after it runs " +
	"four goroutines truly in parallel, and the seed fixes which operations each runs, not how they interleave, " +
	"so the counts it adds vary from run to run (the verdict does not)."

// Expect is what a run must show.
type Expect struct {
	Verdict string // "clean" or "reported"
	// Kind, if set, is a report kind that must be present, with classes
	// containing every string in Classes.
	Kind    lockdep.Kind
	Classes []string
	// TwoInstances requires the report to name two distinct instances.
	TwoInstances bool
	// Oracle, if set, must hold for the oracle's counts.
	Oracle     func(cache.Counts) bool
	OracleDesc string
}

func (x Expect) String() string {
	if x.Verdict == "clean" {
		return "clean"
	}
	var parts []string
	if x.Kind != 0 {
		s := x.Kind.String()
		if len(x.Classes) > 0 {
			s += " on " + strings.Join(x.Classes, "+")
		}
		parts = append(parts, s)
	}
	if x.OracleDesc != "" {
		parts = append(parts, x.OracleDesc)
	}
	return "reported (" + strings.Join(parts, ", ") + ")"
}

// check reports whether res shows what x expects, and if not, why.
func (x Expect) check(res *Result) (bool, string) {
	if res.Verdict != x.Verdict {
		return false, fmt.Sprintf("verdict %s, want %s", res.Verdict, x.Verdict)
	}
	if x.Verdict == "clean" {
		return true, ""
	}
	if x.Kind != 0 && findReport(res.Reports, x) == nil {
		return false, fmt.Sprintf("no %s report on %v", x.Kind, x.Classes)
	}
	if x.Oracle != nil && !x.Oracle(res.Oracle) {
		return false, "oracle did not show " + x.OracleDesc
	}
	return true, ""
}

func findReport(rs []*lockdep.Report, x Expect) *lockdep.Report {
	for _, r := range rs {
		if r.Kind != x.Kind {
			continue
		}
		ok := true
		for _, want := range x.Classes {
			found := false
			for _, c := range r.Classes {
				if strings.Contains(c, want) {
					found = true
				}
			}
			ok = ok && found
		}
		if x.TwoInstances && (r.Lock == nil || r.Held == nil || r.Lock.Instance == r.Held.Instance) {
			ok = false
		}
		if ok {
			return r
		}
	}
	return nil
}

var (
	registry = map[string]*Scenario{}
	names    []string // in the order they were registered
)

func register(s *Scenario) {
	if registry[s.Name] != nil {
		panic("scenario: " + s.Name + " registered twice")
	}
	registry[s.Name] = s
	names = append(names, s.Name)
}

// Names lists the scenarios in the order the catalog registers them: the
// seed discussions' races first, then the ones that go beyond them.
func Names() []string { return append([]string(nil), names...) }

// Lookup returns the scenario called name.
func Lookup(name string) (*Scenario, error) {
	s := registry[name]
	if s == nil {
		return nil, fmt.Errorf("no scenario %q; 'lockdepd scenario list' lists them", name)
	}
	return s, nil
}
