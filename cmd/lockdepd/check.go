package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/golockdep/lockdep/reports"
	"github.com/golockdep/lockdep/reports/render"
)

func init() {
	register(&command{name: "check", summary: "CI gate: fail on cycles across test binaries that the baseline does not accept", run: runCheck})
}

// checkUsage is the first lines of "lockdepd check -h".
const checkUsage = `usage: lockdepd check [-daemon URL] [-token-file FILE] [-baseline FILE] [-all] [FILE...]

Merges what the daemon holds (GET /api/v1/reports; -daemon, or LOCKDEP_DAEMON
when no FILE is given) or the uploads saved in FILE... (LOCKDEP_SAVE_DIR), and
prints, as kernel-style text, every cycle across test binaries that the baseline
does not accept, each followed by the line that accepts it. A baseline accepts
a report listed in its "reports", or a cycle whose every dependency it lists.
Exit status: 0 nothing new, 1 new reports, 2 usage, 3 input unreadable.
`

// checkOptions are check's flags.
type checkOptions struct {
	daemon, tokenFile, baseline string
	all                         bool
	timeout                     time.Duration
}

// runCheck is the CI step after "go test ./..." with LOCKDEP_DAEMON or
// LOCKDEP_SAVE_DIR set: the test binaries each passed, and check fails the
// run on the cycles that only their union shows.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o checkOptions
	fs.StringVar(&o.daemon, "daemon", "", "lockdepd's base `URL` (default $LOCKDEP_DAEMON when no FILE is given)")
	fs.StringVar(&o.tokenFile, "token-file", os.Getenv("LOCKDEP_DAEMON_TOKEN_FILE"), "`file` holding the daemon's bearer token (default $LOCKDEP_DAEMON_TOKEN_FILE)")
	fs.StringVar(&o.baseline, "baseline", "", "baseline `file` of accepted reports and dependencies")
	fs.BoolVar(&o.all, "all", false, "also fail on reports a single test binary made (each already failed its binary unless LOCKDEP_BASELINE* was set)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "bound on the request to the daemon")
	fs.Usage = func() {
		fmt.Fprint(stderr, checkUsage)
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if o.daemon == "" && len(files) == 0 {
		o.daemon = os.Getenv("LOCKDEP_DAEMON")
	}
	switch {
	case o.daemon != "" && len(files) > 0:
		fmt.Fprintln(stderr, "check: give the daemon (-daemon) or upload files, not both")
		return 2
	case o.daemon == "" && len(files) == 0:
		fmt.Fprintln(stderr, "check: nothing to check: give -daemon URL, set LOCKDEP_DAEMON, or name upload files")
		fs.Usage()
		return 2
	case o.timeout <= 0:
		fmt.Fprintf(stderr, "check: -timeout %v: want a positive duration\n", o.timeout)
		return 2
	}
	var base *reports.Baseline
	if o.baseline != "" {
		if base, err = readBaselineFile(o.baseline); err != nil {
			fmt.Fprintf(stderr, "check: -baseline %v\n", err)
			return 3
		}
	}
	var doc *reports.ReportsJSON
	from := ""
	if o.daemon != "" {
		doc, err = fetchReports(o)
		from = o.daemon
	} else {
		doc, err = mergeFiles(files)
		from = plural(len(files), "file")
	}
	if err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return 3
	}
	for _, p := range doc.Problems {
		fmt.Fprintf(stderr, "check: warning: %s\n", p)
	}
	considered, fresh := newReports(doc.Reports, base, o.all)
	for i, r := range fresh {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "lockdepd check: %s, from %s:\n%s", describe(r), strings.Join(r.Sources, "; "), r.Text)
		if !strings.HasSuffix(r.Text, "\n") {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "accept it: add to the \"reports\" of the baseline: %s\n", render.BaselineLine(&r))
	}
	what := plural(considered, "cycle") + " across test binaries"
	if o.all {
		what = plural(considered, "report") + " considered (-all)"
	}
	accepted := ""
	if base != nil {
		accepted = fmt.Sprintf(", %d accepted by %s", considered-len(fresh), o.baseline)
	}
	fmt.Fprintf(stderr, "lockdepd check: %s from %d run(s) in %s: %s%s; %d new\n",
		plural(len(doc.Reports), "report"), len(doc.Runs), from, what, accepted, len(fresh))
	if len(fresh) > 0 {
		return 1
	}
	return 0
}

func describe(r reports.MergedReport) string {
	if r.CrossProcess {
		return "a cycle no single test binary saw"
	}
	return "a " + r.Kind + " report"
}

// newReports returns how many reports the gate considers (cross-process
// ones, or all) and those of them the baseline does not accept.
func newReports(rs []reports.MergedReport, b *reports.Baseline, all bool) (int, []reports.MergedReport) {
	n := 0
	var out []reports.MergedReport
	for _, r := range rs {
		if !r.CrossProcess && !all {
			continue
		}
		n++
		if b == nil || !accepts(b, r) {
			out = append(out, r)
		}
	}
	return n, out
}

// accepts reports whether b accepts r: as a report, or, for a cycle,
// through every one of its dependencies (as lockdepd test and
// LOCKDEP_BASELINE judge).
func accepts(b *reports.Baseline, r reports.MergedReport) bool {
	u := &reports.Upload{Reports: []reports.Report{{Kind: r.Kind, Classes: r.Classes}}}
	for _, l := range r.Links() {
		u.Edges = append(u.Edges, reports.Edge{From: l.From, To: l.To, Types: l.Types})
	}
	edges, reps := b.Check(u)
	return len(reps) == 0 || (len(r.Links()) > 0 && len(edges) == 0)
}

func readBaselineFile(name string) (*reports.Baseline, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := reports.ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// mergeFiles merges saved uploads as "lockdepd report" does.
func mergeFiles(files []string) (*reports.ReportsJSON, error) {
	var in []reports.Received
	for _, name := range files {
		f, err := readReportFile(name)
		if err == nil && f.baseline != nil {
			err = fmt.Errorf("%s: a baseline, not an upload: give it with -baseline", name)
		}
		if err != nil {
			return nil, err
		}
		in = append(in, f.upload)
	}
	m, err := reports.Merge(in)
	if err != nil {
		return nil, err
	}
	return &reports.ReportsJSON{Schema: reports.SchemaVersion, Runs: m.Runs, Reports: m.Reports, Problems: m.Problems}, nil
}
