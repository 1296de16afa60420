package main

import (
	"bytes"
	"encoding/json"
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
	} {
		if code, _, errs := run(tc.args...); code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("report %v: exit %d %q, want %d and %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
}
