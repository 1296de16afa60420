package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/golockdep/lockdep/lockdep"
)

// MaxMergeProblems bounds Merged.Problems; the problems beyond it are
// counted in one last line.
const MaxMergeProblems = 1000

// maxOwnReports bounds the distinct reports the processes made themselves
// that a merge keeps, maxReportSources the processes each names, and
// maxMergedLockStats the lock_stat lines.
const (
	maxOwnReports      = 2000
	maxReportSources   = lockdep.MaxEdgeSources
	maxMergedLockStats = 2 * (1 << 16)
)

// Merging merges uploads one at a time, each once, as they arrive: a
// daemon adds each upload when it is received and asks for the Result
// when a view needs it. Merge is a Merging fed every upload in a
// deterministic order. A Merging is not safe for concurrent use.
type Merging struct {
	g         *lockdep.Merger
	runs      []Run
	own       map[string]*MergedReport
	ownKeys   []string
	chains    map[string]Chain
	counters  Stats
	lockStats map[lockStatKey]*LockStat
	problems  []string
	dropped   int // problems not kept in problems
}

// NewMerging returns an empty merge bounded by MergeLimits.
func NewMerging() (*Merging, error) {
	g, err := lockdep.NewMerger(MergeLimits)
	if err != nil {
		return nil, err
	}
	return &Merging{g: g, own: map[string]*MergedReport{}, chains: map[string]Chain{}, lockStats: map[lockStatKey]*LockStat{}}, nil
}

// Runs is how many uploads were added.
func (mg *Merging) Runs() int { return len(mg.runs) }

// Problem records a problem to list in the Result (bounded).
func (mg *Merging) Problem(p string) { mg.problemf("%s", p) }

// problemf formats a problem only if it is kept.
func (mg *Merging) problemf(format string, args ...any) {
	if len(mg.problems) >= MaxMergeProblems {
		mg.dropped++
		return
	}
	mg.problems = append(mg.problems, fmt.Sprintf(format, args...))
}

// Add merges one upload.
func (mg *Merging) Add(r Received) {
	u := r.Upload
	src := u.Identity.Source()
	mg.runs = append(mg.runs, Run{Identity: u.Identity, Received: r.At, Classes: len(u.Classes), Edges: len(u.Edges), Reports: len(u.Reports), Trimmed: u.Trimmed})
	for _, c := range u.Classes {
		if err := mg.g.AddClass(c.Name); err != nil {
			mg.problemf("%v", err)
		}
	}
	for _, e := range u.Edges {
		if _, err := mg.g.AddEdge(lockdep.MergedEdge{From: e.From, To: e.To, Types: e.Types, Stack: lockdepFrames(e.Stack), Source: src, Count: e.Count}); err != nil {
			mg.problemf("%s: %v", src, err)
		}
	}
	for _, ch := range u.Chains {
		k := strings.Join(ch.Classes, "\x00") + "\x01" + strings.Join(ch.Modes, "\x00")
		if _, ok := mg.chains[k]; !ok && len(mg.chains) < maxMergedChains {
			mg.chains[k] = ch
		}
	}
	for _, rep := range u.Reports {
		k := reportKey(rep.Kind, rep.Classes)
		mr := mg.own[k]
		if mr == nil {
			if len(mg.own) >= maxOwnReports {
				mg.problemf("%s: a %s report dropped: %d distinct reports kept already", src, rep.Kind, maxOwnReports)
				continue
			}
			mr = &MergedReport{Kind: rep.Kind, Classes: rep.Classes, Message: rep.Message, Chain: rep.Chain, New: rep.New, Text: rep.Text}
			mg.own[k] = mr
			mg.ownKeys = append(mg.ownKeys, k)
		}
		if len(mr.Sources) < maxReportSources {
			mr.Sources = addSorted(mr.Sources, src)
		}
	}
	addCounters(&mg.counters, u.Stats)
	for _, s := range u.LockStats {
		k := lockStatKey{s.Class, s.Read}
		if h := mg.lockStats[k]; h != nil {
			combineLockStat(h, s)
			continue
		}
		if len(mg.lockStats) >= maxMergedLockStats {
			mg.problemf("%s: lock_stat line %s dropped: %d lines kept already", src, s.Class, maxMergedLockStats)
			continue
		}
		s.Points = append([]Point(nil), s.Points...)
		mg.lockStats[k] = &s
	}
}

// Result returns the merge of the uploads added so far. It shares nothing
// that later calls to Add change.
func (mg *Merging) Result() *Merged {
	m := &Merged{Runs: append([]Run(nil), mg.runs...), Counters: mg.counters}
	m.Graph = mg.g.Snapshot()
	seen := map[string]bool{}
	for _, r := range mg.g.Reports() {
		mr := ReportOf(r)
		k := reportKey(mr.Kind, mr.Classes)
		seen[k] = true
		x := MergedReport{Kind: mr.Kind, Classes: mr.Classes, CrossProcess: r.Kind.IsCycle(), Message: mr.Message, Chain: mr.Chain, New: mr.New, Text: mr.Text}
		for _, l := range x.Links() {
			for _, s := range l.Sources {
				x.Sources = addSorted(x.Sources, s)
			}
		}
		if o := mg.own[k]; o != nil {
			for _, s := range o.Sources {
				x.Sources = addSorted(x.Sources, s)
			}
		}
		m.Reports = append(m.Reports, x)
	}
	keys := append([]string(nil), mg.ownKeys...)
	sort.Strings(keys)
	for _, k := range keys {
		if !seen[k] {
			r := *mg.own[k]
			r.Sources = append([]string(nil), r.Sources...)
			m.Reports = append(m.Reports, r)
		}
	}
	for _, ch := range mg.chains {
		m.Chains = append(m.Chains, ch)
	}
	sort.Slice(m.Chains, func(i, j int) bool { return chainLess(m.Chains[i], m.Chains[j]) })
	for _, s := range mg.lockStats {
		c := *s
		c.Points = append([]Point(nil), s.Points...)
		m.LockStats = append(m.LockStats, c)
	}
	sortLockStats(m.LockStats)
	m.Problems = append([]string(nil), mg.problems...)
	if n := mg.g.SearchesCut(); n > 0 {
		m.Problems = append(m.Problems, fmt.Sprintf("%d cycle search(es) stopped at %d dependencies visited: the graph has a cycle through recursive readers, so the dependencies they checked may close cycles not reported", n, lockdep.MergeSearchBudget))
	}
	if mg.dropped > 0 {
		m.Problems = append(m.Problems, fmt.Sprintf("%d more problem(s) not listed", mg.dropped))
	}
	m.Counters.Classes = len(m.Graph.Classes)
	m.Counters.DirectDeps = len(m.Graph.Edges)
	m.Counters.IndirectDeps = m.Graph.Stats.IndirectDeps
	m.Counters.Chains = len(m.Chains)
	return m
}
