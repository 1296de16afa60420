package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/golockdep/lockdep/reports"
	"github.com/golockdep/lockdep/reports/profiles"
)

func init() {
	register(&command{name: "report", summary: "render saved uploads offline, merged as the daemon merges them", run: runReport})
}

// reportFormats are the renderings "lockdepd report" can write.
var reportFormats = map[string]func(io.Writer, *reports.Merged) error{
	"text":     reports.WriteText,
	"json":     reports.WriteJSON,
	"dot":      reports.WriteDOT,
	"pprof":    profiles.WriteEdges,
	"lockdep":  reports.WriteLockdep,
	"chains":   reports.WriteChains,
	"stats":    reports.WriteStats,
	"lockstat": reports.WriteLockStat,
	"html":     reports.WriteHTML,
	"baseline": func(w io.Writer, m *reports.Merged) error { return reports.WriteBaseline(w, reports.BaselineOf(m)) },
}

// runReport merges the uploads saved in FILE... and writes one rendering.
// It exits 1 if the merged graph has reports (so CI can use it as a gate),
// 2 on usage errors and 3 if a file cannot be read or decoded.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "`format`: text, json, dot, pprof, lockdep, chains, stats, lockstat, html or baseline")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lockdepd report [-format text|json|dot|pprof|...] FILE...")
		fmt.Fprintln(stderr, "\nMerges uploads saved by test binaries (LOCKDEP_SAVE_DIR) or fetched from the daemon")
		fmt.Fprintln(stderr, "(GET /api/v1/uploads/ID), finds cycles across them, and writes one rendering to")
		fmt.Fprintln(stderr, "standard output. Exit status 1 means the merged graph has reports.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	write := reportFormats[*format]
	if write == nil {
		fmt.Fprintf(stderr, "report: unknown format %q\n", *format)
		fs.Usage()
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "report: no files")
		fs.Usage()
		return 2
	}
	var in []reports.Received
	for _, name := range fs.Args() {
		r, err := readUpload(name)
		if err != nil {
			fmt.Fprintf(stderr, "report: %v\n", err)
			return 3
		}
		in = append(in, r)
	}
	m, err := reports.Merge(in)
	if err != nil {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 3
	}
	if err := write(stdout, m); err != nil {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 3
	}
	for _, p := range m.Problems {
		fmt.Fprintf(stderr, "report: %s\n", p)
	}
	if len(m.Reports) > 0 {
		return 1
	}
	return 0
}

func readUpload(name string) (reports.Received, error) {
	f, err := os.Open(name)
	if err != nil {
		return reports.Received{}, err
	}
	defer f.Close()
	u, err := reports.Decode(f, reports.Limits{})
	if err != nil {
		return reports.Received{}, fmt.Errorf("%s: %w", name, err)
	}
	r := reports.Received{Upload: u}
	if st, err := f.Stat(); err == nil {
		r.At = st.ModTime().UTC()
	}
	return r, nil
}
