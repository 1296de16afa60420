package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/scenario"
)

func init() {
	register(&command{name: "scenario", summary: "list or run the page-cache and file-system scenarios", run: runScenario})
}

const scenarioUsage = `usage:
  lockdepd scenario list
  lockdepd scenario run NAME [-seed N] [-ops N] [-json]
  lockdepd scenario run --all [-seed N] [-ops N] [-json]

run drives the scenario's race deterministically through pause points, then
runs -ops random operations on top, and prints the validator's reports, the
data oracle's findings and the verdict ("clean" or "reported"). --all runs
every scenario and prints a table; the exit status is 1 if any scenario did
not show what it must.
`

func runScenario(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, scenarioUsage)
		return 2
	}
	switch args[0] {
	case "list":
		if len(args) > 1 {
			fmt.Fprintf(stderr, "scenario list: unexpected argument %q\n", args[1])
			return 2
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, n := range scenario.Names() {
			s, _ := scenario.Lookup(n)
			fmt.Fprintf(tw, "%s\t%s\t%s\n", n, s.Expect.Verdict, s.Summary)
		}
		tw.Flush()
		return 0
	case "run":
		if !lockdep.Enabled {
			fmt.Fprintln(stderr, "scenario run: the validator is compiled out (built with -tags lockdep_off); scenarios need it")
			return 2
		}
		return runScenarioRun(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, scenarioUsage)
		return 0
	}
	fmt.Fprintf(stderr, "scenario: unknown subcommand %q\n%s", args[0], scenarioUsage)
	return 2
}

func runScenarioRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scenario run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, scenarioUsage) }
	seed := fs.Int64("seed", 1, "seed of the random stress workload")
	ops := fs.Int("ops", 2000, "number of random stress operations after the scripted race")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	all := fs.Bool("all", false, "run every scenario and print a table")
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *ops < 0 {
		fmt.Fprintln(stderr, "scenario run: -ops must not be negative")
		return 2
	}
	o := scenario.Options{Seed: *seed, Ops: *ops}
	if *all {
		if len(names) > 0 {
			fmt.Fprintln(stderr, "scenario run: --all takes no scenario name")
			return 2
		}
		return runAll(o, *asJSON, stdout)
	}
	if len(names) != 1 {
		fmt.Fprint(stderr, "scenario run: name one scenario, or --all\n"+scenarioUsage)
		return 2
	}
	s, err := scenario.Lookup(names[0])
	if err != nil {
		fmt.Fprintln(stderr, "scenario run:", err)
		return 2
	}
	res := scenario.Run(s, o)
	if *asJSON {
		b, err := json.Marshal(res)
		if err != nil {
			fmt.Fprintln(stderr, "scenario run:", err)
			return 1
		}
		fmt.Fprintln(stdout, string(b))
	} else {
		res.WriteText(stdout)
	}
	if !res.Pass {
		return 1
	}
	return 0
}

// tableWidth is the width the --all table fits in.
const tableWidth = 100

// runAll runs every scenario and prints the table (or one JSON object per
// line). The table fits tableWidth columns: what a run showed wraps onto
// continuation lines, and a failed row's full result follows the table.
func runAll(o scenario.Options, asJSON bool, stdout io.Writer) int {
	start := time.Now()
	nameW := len("SCENARIO")
	for _, n := range scenario.Names() {
		nameW = max(nameW, len(n))
	}
	row := func(name, result, verdict, shown string) {
		lead := fmt.Sprintf("%-*s  %-6s  %-8s  ", nameW, name, result, verdict)
		for i, l := range wrap(shown, tableWidth-len(lead)) {
			if i > 0 {
				lead = strings.Repeat(" ", len(lead))
			}
			fmt.Fprintln(stdout, strings.TrimRight(lead+l, " "))
		}
	}
	if !asJSON {
		row("SCENARIO", "RESULT", "VERDICT", "WHAT THE SCRIPTED RACE SHOWED")
	}
	failed := 0
	var details []string
	for _, n := range scenario.Names() {
		s, _ := scenario.Lookup(n)
		res := scenario.Run(s, o)
		if !res.Pass {
			failed++
			var b strings.Builder
			res.WriteText(&b)
			details = append(details, b.String())
		}
		if asJSON {
			b, _ := json.Marshal(res)
			fmt.Fprintln(stdout, string(b))
			continue
		}
		status := "pass"
		if !res.Pass {
			status = "FAIL"
		}
		row(n, status, res.Verdict, strings.Join(res.Shown(), ", "))
	}
	if !asJSON {
		fmt.Fprintf(stdout, "%d scenarios, %d passed, %d failed (seed %d, %d ops each, %.1fs)\n",
			len(scenario.Names()), len(scenario.Names())-failed, failed, o.Seed, o.Ops, time.Since(start).Seconds())
		for _, d := range details {
			fmt.Fprintf(stdout, "\n%s", d)
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// wrap breaks s into lines of at most width, at the ", " between items
// where it can, else at spaces or "+", else anywhere.
func wrap(s string, width int) []string {
	if width < 10 {
		width = 10
	}
	var lines []string
	for len(s) > width {
		cut := -1
		for _, sep := range []string{", ", " ", "+"} {
			if i := strings.LastIndex(s[:width], sep); i > 0 {
				cut = i + len(sep)
				break
			}
		}
		if cut < 0 {
			cut = width
		}
		lines = append(lines, strings.TrimRight(s[:cut], " "))
		s = s[cut:]
	}
	return append(lines, s)
}
