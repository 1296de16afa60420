package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/golockdep/lockdep/reports"
)

// saveUpload writes an upload from binary/pid with one dependency.
func saveUpload(t *testing.T, dir, binary string, pid int, from, to string) string {
	t.Helper()
	u := &reports.Upload{Schema: reports.SchemaVersion,
		Identity: reports.Identity{Binary: binary, Host: "h", PID: pid, Start: time.Unix(int64(pid), 0).UTC()},
		Classes:  []reports.Class{{Name: from}, {Name: to}},
		Edges: []reports.Edge{{From: from, To: to, Types: "-(EN)->", Count: 1,
			Stack: []reports.Frame{{Function: "main.f", File: "/x/f.go", Line: pid}}}}}
	var buf bytes.Buffer
	if err := reports.Encode(&buf, u); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, binary+".json")
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestReport(t *testing.T) {
	dir := t.TempDir()
	a := saveUpload(t, dir, "a.test", 1, "A", "B")
	b := saveUpload(t, dir, "b.test", 2, "B", "A")
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := runReport(args, &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, _ := run(a, b)
	if code != 1 || !strings.Contains(out, "circular, cross-process, from a.test pid 1 on h; b.test pid 2 on h") {
		t.Errorf("text: exit %d\n%s", code, out)
	}
	if code, out, _ := run(a); code != 0 || !strings.Contains(out, "no reports in 1 run") {
		t.Errorf("one file: exit %d\n%s", code, out)
	}
	_, out, _ = run("-format", "json", a, b)
	var doc reports.ReportsJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Reports) != 1 || len(doc.Runs) != 2 {
		t.Errorf("json: %v %+v", err, doc)
	}
	_, out, _ = run("-format", "dot", a, b)
	if !strings.Contains(out, `"B" -> "A" [label="-(EN)-> closes the cycle"`) {
		t.Errorf("dot:\n%s", out)
	}
	_, out, _ = run("-format", "pprof", a, b)
	if p, err := profile.ParseData([]byte(out)); err != nil || len(p.Sample) != 1 {
		t.Errorf("pprof: %v", err)
	}
	_, out, _ = run("-format", "baseline", a, b)
	if bl, err := reports.ReadBaseline(strings.NewReader(out)); err != nil || len(bl.Edges) != 2 || len(bl.Reports) != 1 {
		t.Errorf("baseline: %v\n%s", err, out)
	}
	_, out, _ = run("-format", "html", "-source-url", "https://src.example/r/{path}#L{line}", "-source-trim", "/x/", a, b)
	if !strings.Contains(out, `href="https://src.example/r/f.go#L1"`) {
		t.Errorf("html with -source-url has no link to f.go:1:\n%.2000s", out)
	}
	if _, out, _ = run("-format", "html", a, b); strings.Contains(out, "src.example") || !strings.Contains(out, "f.go") {
		t.Errorf("html without -source-url:\n%.2000s", out)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"schema":1,"surprise":true}`), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-format", "png", a}, 2, "unknown format"},
		{nil, 2, "no files"},
		{[]string{filepath.Join(dir, "missing.json")}, 3, "no such file"},
		{[]string{a, bad}, 3, "bad.json: malformed upload"},
		{[]string{"-source-url", "https://src.example/{path}", a}, 2, "apply to -format html, not text"},
		{[]string{"-format", "html", "-source-url", "ftp://x/{path}", a}, 2, "is not an http(s) URL"},
		{[]string{"-format", "html", "-source-trim", "/x", a}, 2, "without a source URL template"},
	} {
		if code, _, errs := run(tc.args...); code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("report %v: exit %d %q, want %d and %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
}

// TestReportReadsEveryFile: every file the library writes is rendered or
// refused on one line that names it.
func TestReportReadsEveryFile(t *testing.T) {
	dir := t.TempDir()
	a := saveUpload(t, dir, "a.test", 1, "A", "B")
	b := saveUpload(t, dir, "b.test", 2, "B", "A")
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gz := func(data []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		return buf.Bytes()
	}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := runReport(args, &out, &errb)
		return code, out.String(), errb.String()
	}
	ab, _ := os.ReadFile(b)
	bgz := write("b.json.gz", gz(ab))
	if code, out, errs := run(a, bgz); code != 1 || !strings.Contains(out, "circular, cross-process, from a.test pid 1 on h; b.test pid 2 on h") {
		t.Errorf("gzip-compressed upload: exit %d %s\n%s", code, errs, out)
	}

	// A trimmed (schema 2) upload, as the uploader saves it.
	u := &reports.Upload{Schema: 2, Identity: reports.Identity{Binary: "t.test", Host: "h", PID: 3, Start: time.Unix(3, 0).UTC()},
		Classes: []reports.Class{{Name: "C"}, {Name: "D"}}, Edges: []reports.Edge{{From: "C", To: "D", Types: "-(EN)->", Count: 1, Stack: []reports.Frame{}}},
		Trimmed: "trimmed from 40.0 MiB to fit 32 MiB: stacks of the 1 least-used of 1 edges dropped"}
	var buf bytes.Buffer
	if err := reports.Encode(&buf, u); err != nil {
		t.Fatal(err)
	}
	tr := write("t.json", buf.Bytes())
	if code, out, errs := run(tr); code != 0 || !strings.Contains(out, "note: the upload from t.test pid 3 on h was trimmed from 40.0 MiB") {
		t.Errorf("trimmed upload: exit %d %s\n%s", code, errs, out)
	}

	// Baselines: merged into -format baseline, refused clearly otherwise.
	_, bl, _ := run("-format", "baseline", a)
	blFile := write("lockdep.baseline", []byte(bl))
	blGz := write("baseline.json.gz", gz([]byte(bl)))
	code, out, errs := run("-format", "baseline", blFile, tr)
	if got, err := reports.ReadBaseline(strings.NewReader(out)); code != 0 || err != nil || len(got.Edges) != 2 {
		t.Errorf("-format baseline of a baseline and an upload: exit %d %s %v\n%s", code, errs, err, out)
	}
	if code, out, _ := run("-format", "baseline", blGz); code != 0 || out != bl {
		t.Errorf("-format baseline of a compressed baseline: exit %d\n%s", code, out)
	}

	_, merged, _ := run("-format", "json", a, b)
	_, pprof, _ := run("-format", "pprof", a, b)
	jsonFile := write("reports.json", []byte(merged))
	pprofFile := write("edges.pb.gz", []byte(pprof))
	empty := write("empty.json", nil)
	array := write("uploads.json", []byte(`[{"id":1}]`))
	badBaseline := write("bad.baseline", []byte(`{"baseline":1,"edges":[{"from":"A","to":"B","types":"EN"}],"reports":[]}`))
	badGzip := write("bad.gz", []byte{0x1f, 0x8b, 0, 0})
	bomb := write("bomb.json.gz", gz(make([]byte, 2<<20)))
	defer func(old int64) { reportMaxBytes = old }(reportMaxBytes)
	reportMaxBytes = 1 << 20
	for _, tc := range []struct {
		file string
		msg  string
	}{
		{blFile, blFile + `: a baseline (1 dependencies and 0 reports accepted), not an upload: test binaries check against it with LOCKDEP_BASELINE=` + blFile},
		{jsonFile, jsonFile + `: merged reports ("lockdepd report -format json" or GET /api/v1/reports), not an upload`},
		{pprofFile, pprofFile + ": not a lockdep upload or baseline: the decompressed content is not a JSON object"},
		{empty, empty + ": not a lockdep upload or baseline: the content is not a JSON object"},
		{array, array + ": not a lockdep upload or baseline: the content is not a JSON object"},
		{badBaseline, badBaseline + ": baseline: invalid upload: edges[0].types"},
		{badGzip, badGzip + ": not gzip: unexpected EOF"},
		{bomb, bomb + ": decompressed over 1 MiB, more than any upload"},
	} {
		code, _, errs := run(tc.file)
		if code != 3 || !strings.Contains(errs, tc.msg) || strings.Count(errs, "\n") != 1 {
			t.Errorf("report %s: exit %d %q, want 3 and one line with %q", filepath.Base(tc.file), code, errs, tc.msg)
		}
	}
}

// TestReportFlagsAfterFiles: flags may follow the files, as users type
// them ("lockdepd report FILE -format dot").
func TestReportFlagsAfterFiles(t *testing.T) {
	var fs = flag.NewFlagSet("x", flag.ContinueOnError)
	format := fs.String("format", "text", "")
	pos, err := parseInterspersed(fs, []string{"a.json", "-format", "dot", "b.json", "--", "-c.json"})
	if err != nil || *format != "dot" || strings.Join(pos, " ") != "a.json b.json -c.json" {
		t.Fatalf("format %q, files %q, err %v", *format, pos, err)
	}
}

func TestVersion(t *testing.T) {
	var out, errb strings.Builder
	if code := runVersion(nil, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "lockdepd ") || !strings.Contains(out.String(), "go1.") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	if code := runVersion([]string{"x"}, &out, &errb); code != 2 {
		t.Fatalf("extra argument: exit %d, want 2", code)
	}
}
