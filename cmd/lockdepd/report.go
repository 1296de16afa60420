package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/golockdep/lockdep/reports"
	"github.com/golockdep/lockdep/reports/profiles"
	"github.com/golockdep/lockdep/reports/render"
)

func init() {
	register(&command{name: "report", summary: "render saved uploads offline, merged as the daemon merges them", run: runReport})
}

// reportFormats are the renderings "lockdepd report" can write.
var reportFormats = map[string]func(io.Writer, *reports.Merged) error{
	"text":     render.WriteText,
	"json":     reports.WriteJSON,
	"dot":      render.WriteDOT,
	"pprof":    profiles.WriteEdges,
	"lockdep":  render.WriteLockdep,
	"chains":   render.WriteChains,
	"stats":    render.WriteStats,
	"lockstat": render.WriteLockStat,
	"html":     render.WriteHTML,
	"baseline": func(w io.Writer, m *reports.Merged) error { return reports.WriteBaseline(w, reports.BaselineOf(m)) },
}

// runReport merges the uploads saved in FILE... and writes one rendering.
// It exits 1 if the merged graph has reports (so CI can use it as a gate),
// 2 on usage errors and 3 if a file cannot be read or decoded.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "`format`: text, json, dot, pprof, lockdep, chains, stats, lockstat, html or baseline")
	var page render.PageOptions
	fs.StringVar(&page.SourceURL, "source-url", "", "with -format html, link stack lines to source: a URL `template` with {path} and {line}, as for serve")
	fs.StringVar(&page.SourceTrim, "source-trim", "", "with -format html, `prefix` (the checkout directory) removed from file paths for {path}")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lockdepd report [-format text|json|dot|pprof|...] [-source-url TEMPLATE [-source-trim DIR]] FILE...")
		fmt.Fprintln(stderr, "\nMerges uploads saved by test binaries (LOCKDEP_SAVE_DIR) or fetched from the daemon")
		fmt.Fprintln(stderr, "(GET /api/v1/uploads/ID), finds cycles across them, and writes one rendering to")
		fmt.Fprintln(stderr, "standard output. Exit status 1 means the merged graph has reports. A FILE may be")
		fmt.Fprintln(stderr, "gzip-compressed; with -format baseline it may also be a baseline, merged into the output.")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
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
	if page != (render.PageOptions{}) {
		if *format != "html" {
			fmt.Fprintf(stderr, "report: -source-url and -source-trim apply to -format html, not %s\n", *format)
			return 2
		}
		if err := page.Check(); err != nil {
			fmt.Fprintf(stderr, "report: %v\n", err)
			return 2
		}
		write = func(w io.Writer, m *reports.Merged) error { return render.WritePage(w, m, page) }
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "report: no files")
		fs.Usage()
		return 2
	}
	var in []reports.Received
	var baselines []*reports.Baseline
	for _, name := range files {
		f, err := readReportFile(name)
		if err == nil && f.baseline != nil && *format != "baseline" {
			err = fmt.Errorf("%s: a baseline (%d dependencies and %d reports accepted), not an upload: "+
				"test binaries check against it with LOCKDEP_BASELINE=%[1]s; \"lockdepd report -format baseline\" merges it with uploads",
				name, len(f.baseline.Edges), len(f.baseline.Reports))
		}
		if err != nil {
			fmt.Fprintf(stderr, "report: %v\n", err)
			return 3
		}
		if f.baseline != nil {
			baselines = append(baselines, f.baseline)
		} else {
			in = append(in, f.upload)
		}
	}
	m, err := reports.Merge(in)
	if err != nil {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 3
	}
	if len(baselines) > 0 {
		write = func(w io.Writer, m *reports.Merged) error {
			b := reports.BaselineOf(m)
			for _, o := range baselines {
				b.Union(o)
			}
			return reports.WriteBaseline(w, b)
		}
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

// reportMaxBytes bounds a file "lockdepd report" reads, and what a
// compressed file decompresses to. Uploads the library writes are at most
// 32 MiB (upload.MaxBytes), but these files are local and trusted, and
// older versions wrote larger ones.
var reportMaxBytes int64 = 1 << 30 // a variable for tests

// reportFile is one file read by "lockdepd report": an upload or a
// baseline.
type reportFile struct {
	upload   reports.Received
	baseline *reports.Baseline
}

// readReportFile reads any file the library writes that "lockdepd report"
// can use: an upload (LOCKDEP_SAVE_DIR, GET /api/v1/uploads/ID) or a
// baseline (LOCKDEP_BASELINE_WRITE, -format baseline, GET /baseline.json),
// each plain or gzip-compressed. Anything else is an error that names the
// file and says what it is, on one line.
func readReportFile(name string) (reportFile, error) {
	f, err := os.Open(name)
	if err != nil {
		return reportFile{}, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	what := ""
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return reportFile{}, fmt.Errorf("%s: not gzip: %v", name, err)
		}
		r, what = zr, "decompressed "
	}
	data, err := io.ReadAll(io.LimitReader(r, reportMaxBytes+1))
	if err != nil {
		return reportFile{}, fmt.Errorf("%s: reading: %v", name, err)
	}
	if int64(len(data)) > reportMaxBytes {
		return reportFile{}, fmt.Errorf("%s: %sover %s, more than any upload", name, what, reports.MiB(reportMaxBytes))
	}
	var probe struct {
		Schema   json.RawMessage `json:"schema"`
		Baseline json.RawMessage `json:"baseline"`
		Runs     json.RawMessage `json:"runs"`
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' || json.Unmarshal(data, &probe) != nil {
		return reportFile{}, fmt.Errorf("%s: not a lockdep upload or baseline: the %scontent is not a JSON object", name, what)
	}
	switch {
	case probe.Baseline != nil:
		b, err := reports.ReadBaseline(bytes.NewReader(data))
		if err != nil {
			return reportFile{}, fmt.Errorf("%s: %w", name, err)
		}
		return reportFile{baseline: b}, nil
	case probe.Runs != nil && probe.Schema != nil:
		return reportFile{}, fmt.Errorf("%s: merged reports (\"lockdepd report -format json\" or GET /api/v1/reports), not an upload; "+
			"report the uploads they were merged from", name)
	}
	u, err := reports.DecodeBytes(data, reports.Limits{MaxBytes: reportMaxBytes})
	if err != nil {
		return reportFile{}, fmt.Errorf("%s: %w", name, err)
	}
	rf := reportFile{upload: reports.Received{Upload: u}}
	if st, err := f.Stat(); err == nil {
		rf.upload.At = st.ModTime().UTC()
	}
	return rf, nil
}
