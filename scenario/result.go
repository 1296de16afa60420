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
	// Description is the scenario's (Scenario.Description).
	Description string
	Design      string
	Seed        int64
	Ops         int
	Reports     []*lockdep.Report
	Oracle      cache.Counts
	// ScriptReports is how many of Reports the scripted race made, and
	// ScriptOracle what the oracle had counted when it ended: these are
	// the same on every run. The stress after it runs four goroutines
	// truly in parallel; the seed fixes what each does, not how they
	// interleave, so what the stress adds varies from run to run.
	ScriptReports int
	ScriptOracle  cache.Counts
	Findings      []string
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
	Scenario     string       `json:"scenario"`
	Seed         int64        `json:"seed"`
	Ops          int          `json:"ops"`
	Reports      []jsonReport `json:"reports"`
	Oracle       cache.Counts `json:"oracle"`
	ScriptOracle cache.Counts `json:"script_oracle"`
	Verdict      string       `json:"verdict"`
	Expected     string       `json:"expected"`
	Pass         bool         `json:"pass"`
	Why          string       `json:"why,omitempty"`
}

// MarshalJSON renders the result in the shape the command line documents.
func (r *Result) MarshalJSON() ([]byte, error) {
	j := jsonResult{Scenario: r.Scenario, Seed: r.Seed, Ops: r.Ops, Oracle: r.Oracle, ScriptOracle: r.ScriptOracle,
		Verdict: r.Verdict, Expected: r.Expected, Pass: r.Pass, Reports: []jsonReport{}}
	if !r.Pass {
		j.Why = r.Why
	}
	for _, rep := range r.Reports {
		cs := rep.Classes
		if cs == nil {
			cs = []string{}
		}
		j.Reports = append(j.Reports, jsonReport{Kind: rep.Kind.String(), Classes: cs, Text: rep.String()})
	}
	return json.Marshal(j)
}

// Got summarises what the run showed: the verdict, and what the scripted
// race found (see Shown).
func (r *Result) Got() string {
	if r.Verdict != "reported" {
		return r.Verdict
	}
	return "reported (" + strings.Join(r.Shown(), ", ") + ")"
}

// Shown lists what the scripted race found, the same on every run of a
// seed: one entry per kind of lock report (with its classes) and per
// kind of oracle finding (with its count). If only the stress found
// something, it says so without a count, which varies.
func (r *Result) Shown() []string {
	parts := reportKinds(r.Reports[:min(r.ScriptReports, len(r.Reports))])
	parts = append(parts, countParts(r.ScriptOracle)...)
	if len(parts) == 0 && r.Verdict == "reported" {
		if ks := reportKinds(r.Reports); len(ks) > 0 {
			parts = append(parts, "under stress: "+strings.Join(ks, ", "))
		}
		if !r.Oracle.Zero() {
			parts = append(parts, "oracle findings under stress")
		}
	}
	return parts
}

func reportKinds(rs []*lockdep.Report) []string {
	var parts []string
	kinds := map[string]bool{}
	for _, rep := range rs {
		k := rep.Kind.String()
		if !kinds[k] {
			kinds[k] = true
			parts = append(parts, k+" "+strings.Join(dedupe(rep.Classes), "+"))
		}
	}
	return parts
}

func countParts(o cache.Counts) []string {
	var parts []string
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
	return parts
}

// WriteText prints the result: the reports as the kernel prints them, the
// oracle's findings, the notes and the verdict.
func (r *Result) WriteText(w io.Writer) {
	fmt.Fprintf(w, "scenario %s: design %s, seed %d, %d stress ops\n", r.Scenario, r.Design, r.Seed, r.Ops)
	for _, l := range wrapWords(r.Description, 76) {
		fmt.Fprintf(w, "  %s\n", l)
	}
	for _, rep := range r.Reports {
		fmt.Fprint(w, rep.String())
	}
	if r.HeldDump != "" {
		fmt.Fprint(w, r.HeldDump)
	}
	fmt.Fprintf(w, "\noracle: %s\n", formatCounts(r.Oracle))
	if r.Ops > 0 {
		fmt.Fprintf(w, "  of which the scripted race (the same on every run): %s\n", formatCounts(r.ScriptOracle))
	}
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

func formatCounts(o cache.Counts) string {
	return fmt.Sprintf("stale reads %d, lost writes %d, freed in use %d, stale pagecache %d",
		o.StaleReads, o.LostWrites, o.FreedInUse, o.StalePagecache)
}

// wrapWords breaks s into lines of at most width, between words.
func wrapWords(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
