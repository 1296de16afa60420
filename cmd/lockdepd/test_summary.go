package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/golockdep/lockdep/reports"
)

// summarize reads the graphs the test binaries wrote (see
// lockdeptest.RunM), merges them as the daemon does, prints the cycles
// that only the union shows, and the summary line. It returns the exit
// status: go test's, or 1 if the union has a cycle that no baseline
// accepts.
func (s *session) summarize(code int, pr *prepared) int {
	names, _ := filepath.Glob(filepath.Join(s.tmp, "summary", "*.json"))
	var in []reports.Received
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			continue
		}
		u, err := reports.DecodeBytes(b, reports.Limits{})
		if err != nil {
			s.warnf("%s: %v", filepath.Base(n), err)
			continue
		}
		in = append(in, reports.Received{Upload: u})
	}
	m, err := reports.Merge(in)
	if err != nil {
		s.warnf("merging the graphs: %v", err)
		return code
	}
	var cross []reports.MergedReport
	nreports := 0
	for _, r := range m.Reports {
		nreports++
		if r.CrossProcess {
			cross = append(cross, r)
		}
	}
	failed := s.crossFails(cross)
	for _, r := range failed {
		fmt.Fprintf(s.stderr, "\nlockdepd test: a cycle that no single test binary saw, from %s:\n%s",
			strings.Join(r.Sources, "; "), r.Text)
	}
	st := pr.plan.Stats
	ran := map[string]bool{}
	for _, r := range m.Runs {
		ran[r.Identity.Package] = true
	}
	cached := ""
	if len(ran) < st.Tested {
		cached = fmt.Sprintf(" (%d cached by go test, or not built)", st.Tested-len(ran))
	}
	fmt.Fprintf(s.stderr, "lockdepd test: %d of %d test binaries ran%s: %d classes, %d dependencies, %s; "+
		"%d packages rewritten: %d lock declarations in classes of their own, %d in site classes, %d left as sync, "+
		"%d channel operations and %d WaitGroup, Once and Cond instrumented; rewrite %.2fs (%d of %d analyses cached)\n",
		len(ran), st.Tested, cached, m.Counters.Classes, m.Counters.DirectDeps, plural(nreports, "report"),
		pr.packages, st.Declared, st.Plain, st.Kept, st.Chans, st.Waits, pr.took.Seconds(), pr.cached, pr.analysed)
	if len(failed) > 0 && code == 0 {
		return 1
	}
	return code
}

// crossFails returns the cross-process cycles that fail the run: all of
// them; with LOCKDEP_BASELINE_WRITE (which records a run instead of
// checking it) none; with LOCKDEP_BASELINE those the baseline does not
// accept, as a report or through every dependency of the cycle.
func (s *session) crossFails(cross []reports.MergedReport) []reports.MergedReport {
	if os.Getenv("LOCKDEP_BASELINE_WRITE") != "" && len(cross) > 0 {
		fmt.Fprintf(s.stderr, "lockdepd test: %s: LOCKDEP_BASELINE_WRITE records this run: not failing on it\n",
			plural(len(cross), "cycle")+" across test binaries")
		return nil
	}
	file := os.Getenv("LOCKDEP_BASELINE")
	if file == "" || len(cross) == 0 {
		return cross
	}
	f, err := os.Open(s.abs(file))
	if err != nil {
		s.warnf("LOCKDEP_BASELINE: %v", err)
		return cross
	}
	defer f.Close()
	b, err := reports.ReadBaseline(f)
	if err != nil {
		s.warnf("LOCKDEP_BASELINE: %v", err)
		return cross
	}
	var out []reports.MergedReport
	for _, r := range cross {
		u := &reports.Upload{Reports: []reports.Report{{Kind: r.Kind, Classes: r.Classes}}}
		for _, l := range r.Links() {
			u.Edges = append(u.Edges, reports.Edge{From: l.From, To: l.To, Types: l.Types})
		}
		if edges, reps := b.Check(u); len(edges) > 0 && len(reps) > 0 {
			out = append(out, r)
		}
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
