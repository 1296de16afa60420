package scenario

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/lockdep"
)

// Result is what one run showed.
type Result struct {
	Scenario string
	Design   string
	Seed     int64
	Ops      int
	Reports  []*lockdep.Report
	Oracle   cache.Counts
	Findings []string
	// Verdict is "clean" (no report, oracle all zero), "reported", or
	// "hung" when the watchdog fired.
	Verdict  string
	Expected string
	Pass     bool
	Why      string // why it did not pass
	Notes    []string
	HeldDump string // "show all locks" when hung or when locks leaked
	Aborted  int64  // operations stopped at a certain self-deadlock
	Elapsed  time.Duration
	// Graph is the validator's graph at the end of the run.
	Graph *lockdep.Snapshot
}

// jsonReport is one report in the JSON output.
type jsonReport struct {
	Kind    string   `json:"kind"`
	Classes []string `json:"classes"`
	Text    string   `json:"text"`
}

type jsonResult struct {
	Scenario string       `json:"scenario"`
	Seed     int64        `json:"seed"`
	Ops      int          `json:"ops"`
	Reports  []jsonReport `json:"reports"`
	Oracle   cache.Counts `json:"oracle"`
	Verdict  string       `json:"verdict"`
}

// MarshalJSON renders the result in the shape the command line documents.
func (r *Result) MarshalJSON() ([]byte, error) {
	j := jsonResult{Scenario: r.Scenario, Seed: r.Seed, Ops: r.Ops, Oracle: r.Oracle, Verdict: r.Verdict,
		Reports: []jsonReport{}}
	for _, rep := range r.Reports {
		cs := rep.Classes
		if cs == nil {
			cs = []string{}
		}
		j.Reports = append(j.Reports, jsonReport{Kind: rep.Kind.String(), Classes: cs, Text: rep.String()})
	}
	return json.Marshal(j)
}

// Got summarises what the run showed, for the --all table.
func (r *Result) Got() string {
	if r.Verdict != "reported" {
		return r.Verdict
	}
	var parts []string
	kinds := map[string]bool{}
	for _, rep := range r.Reports {
		k := rep.Kind.String()
		if !kinds[k] {
			kinds[k] = true
			parts = append(parts, k+" "+strings.Join(dedupe(rep.Classes), "+"))
		}
	}
	o := r.Oracle
	if o.StaleReads > 0 {
		parts = append(parts, fmt.Sprintf("stale reads %d", o.StaleReads))
	}
	if o.LostWrites > 0 {
		parts = append(parts, fmt.Sprintf("lost writes %d", o.LostWrites))
	}
	if o.FreedInUse > 0 {
		parts = append(parts, fmt.Sprintf("freed in use %d", o.FreedInUse))
	}
	if o.StalePagecache > 0 {
		parts = append(parts, fmt.Sprintf("stale pagecache %d", o.StalePagecache))
	}
	return "reported (" + strings.Join(parts, ", ") + ")"
}

// WriteText prints the result: the reports as the kernel prints them, the
// oracle's findings, the notes and the verdict.
func (r *Result) WriteText(w io.Writer) {
	fmt.Fprintf(w, "scenario %s: design %s, seed %d, %d stress ops\n", r.Scenario, r.Design, r.Seed, r.Ops)
	for _, rep := range r.Reports {
		fmt.Fprint(w, rep.String())
	}
	if r.HeldDump != "" {
		fmt.Fprint(w, r.HeldDump)
	}
	fmt.Fprintf(w, "\noracle: stale reads %d, lost writes %d, freed in use %d, stale pagecache %d\n",
		r.Oracle.StaleReads, r.Oracle.LostWrites, r.Oracle.FreedInUse, r.Oracle.StalePagecache)
	for _, f := range r.Findings {
		fmt.Fprintf(w, "  %s\n", f)
	}
	if r.Aborted > 0 {
		fmt.Fprintf(w, "%d operation(s) stopped at an acquisition that could only deadlock (the kernel would hang there)\n", r.Aborted)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	status := "PASS"
	if !r.Pass {
		status = "FAIL: " + r.Why
	}
	fmt.Fprintf(w, "verdict: %s; expected %s; %s (%.2fs)\n", r.Got(), r.Expected, status, r.Elapsed.Seconds())
}

// dedupe drops repeated class names, keeping the first order.
func dedupe(cs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cs {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
