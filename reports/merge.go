package reports

import (
	"sort"
	"strings"
	"time"

	"github.com/golockdep/lockdep/lockdep"
)

// Received is an upload and when it arrived (for saved files: the file's
// modification time; zero if unknown).
type Received struct {
	Upload *Upload
	At     time.Time
}

// Run summarises one upload of a Merged graph.
type Run struct {
	Identity Identity  `json:"identity"`
	Received time.Time `json:"received,omitzero"`
	Classes  int       `json:"classes"`
	Edges    int       `json:"edges"`
	Reports  int       `json:"reports"`
	Trimmed  string    `json:"trimmed,omitempty"` // Upload.Trimmed: what the uploader left out to fit
}

// MergedReport is one problem in a merged graph: either a cycle that only
// the union of several processes' graphs shows (CrossProcess), or a report
// one or more processes made themselves.
type MergedReport struct {
	Kind         string   `json:"kind"`
	Classes      []string `json:"classes"`
	CrossProcess bool     `json:"cross_process"`
	Sources      []string `json:"sources"` // every process that contributed
	Message      string   `json:"message,omitempty"`
	Chain        []Link   `json:"chain,omitempty"`
	New          *Link    `json:"new,omitempty"`
	Text         string   `json:"text"`
}

// Links returns the report's cycle, the existing chain then the closing
// dependency; empty for reports that are not cycles.
func (r *MergedReport) Links() []Link {
	ls := append([]Link(nil), r.Chain...)
	if r.New != nil {
		ls = append(ls, *r.New)
	}
	return ls
}

// Merged is the union of many uploads, validated as one graph.
type Merged struct {
	Runs      []Run
	Graph     *lockdep.Snapshot // classes and edges; edge Sources name the processes
	Chains    []Chain           // the union of the uploads' chains
	Reports   []MergedReport    // cross-process cycles first, then the processes' own reports
	LockStats []LockStat        // summed over the uploads, per class and side
	Counters  Stats             // the uploads' counters, summed; Classes, DirectDeps and Chains are the merged graph's
	Problems  []string          // edges the merged graph could not take (a limit), searches cut; at most MaxMergeProblems+2 lines
}

// MergeLimits bound the merged graph.
var MergeLimits = lockdep.Options{MaxClasses: 1 << 16, MaxEdges: 1 << 20}

// maxMergedChains bounds the merged chain list.
const maxMergedChains = 1 << 17

// Merge merges uploads in a deterministic order (by start time, binary and
// pid) so that the same uploads always give the same reports.
func Merge(in []Received) (*Merged, error) {
	in = append([]Received(nil), in...)
	sort.SliceStable(in, func(i, j int) bool { return runLess(in[i].Upload.Identity, in[j].Upload.Identity) })
	mg, err := NewMerging()
	if err != nil {
		return nil, err
	}
	for _, r := range in {
		mg.Add(r)
	}
	return mg.Result(), nil
}

func runLess(a, b Identity) bool {
	if !a.Start.Equal(b.Start) {
		return a.Start.Before(b.Start)
	}
	if a.Binary != b.Binary {
		return a.Binary < b.Binary
	}
	if a.Host != b.Host {
		return a.Host < b.Host
	}
	return a.PID < b.PID
}

// reportKey identifies a problem across processes the way the validator
// de-duplicates: kind and classes, a cycle's classes in any order.
func reportKey(kind string, classes []string) string {
	return kind + "\x00" + strings.Join(CanonicalClasses(kind, classes), "\x00")
}

// CanonicalClasses returns a copy of a report's classes in the order
// reports of its kind are compared and written in: sorted for a cycle,
// whose classes in any order are one problem, as given otherwise.
func CanonicalClasses(kind string, classes []string) []string {
	cs := append([]string(nil), classes...)
	if k, ok := lockdep.ParseKind(kind); ok && k.IsCycle() {
		sort.Strings(cs)
	}
	return cs
}

func addSorted(ss []string, s string) []string {
	i := sort.SearchStrings(ss, s)
	if i < len(ss) && ss[i] == s {
		return ss
	}
	ss = append(ss, "")
	copy(ss[i+1:], ss[i:])
	ss[i] = s
	return ss
}

func chainLess(a, b Chain) bool {
	for i := 0; i < len(a.Classes) && i < len(b.Classes); i++ {
		if a.Classes[i] != b.Classes[i] {
			return a.Classes[i] < b.Classes[i]
		}
		if a.Modes[i] != b.Modes[i] {
			return a.Modes[i] < b.Modes[i]
		}
	}
	return len(a.Classes) < len(b.Classes)
}

func addCounters(s *Stats, u Stats) {
	s.ChainHits += u.ChainHits
	s.ChainMisses += u.ChainMisses
	s.MaxDepth = max(s.MaxDepth, u.MaxDepth)
	s.Reports += u.Reports
	if u.Stopped {
		s.Stopped = true
		s.Limit = u.Limit
	}
}
