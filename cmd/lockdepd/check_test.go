package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/cmd/lockdepd/internal/daemon"
	"github.com/golockdep/lockdep/reports"
)

func runCheckArgs(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := runMain(append([]string{"check"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// writeBaselineFile writes a baseline with the given report lines.
func writeBaselineFile(t *testing.T, dir string, lines ...string) string {
	t.Helper()
	name := filepath.Join(dir, "lockdep.baseline")
	doc := `{"baseline": 1, "edges": [], "reports": [` + strings.Join(lines, ",\n") + "]}\n"
	if err := os.WriteFile(name, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestCheckFiles: a cycle across two saved uploads fails the check with
// its text and the line that accepts it; that line in the baseline, or
// the cycle's dependencies, pass it; flags may follow the files.
func TestCheckFiles(t *testing.T) {
	t.Setenv("LOCKDEP_DAEMON", "")
	dir := t.TempDir()
	a := saveUpload(t, dir, "a.test", 1, "A", "B")
	b := saveUpload(t, dir, "b.test", 2, "B", "A")
	code, out, errs := runCheckArgs(a, b)
	const line = `{"kind":"circular","classes":["A","B"]}`
	if code != 1 || !strings.Contains(out, "possible circular locking dependency") ||
		!strings.Contains(out, "a.test pid 1 on h; b.test pid 2 on h") || !strings.Contains(out, line) {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(errs, "1 cycle across test binaries; 1 new") {
		t.Errorf("summary line:\n%s", errs)
	}
	if code, out, errs := runCheckArgs(a); code != 0 || out != "" {
		t.Errorf("one file: exit %d\n%s%s", code, out, errs)
	}
	base := writeBaselineFile(t, dir, line)
	if code, out, errs := runCheckArgs(a, b, "-baseline", base); code != 0 || out != "" || !strings.Contains(errs, "1 accepted by") {
		t.Errorf("baseline after the files: exit %d\n%s%s", code, out, errs)
	}
	other := writeBaselineFile(t, t.TempDir(), `{"kind":"circular","classes":["A","C"]}`)
	if code, _, errs := runCheckArgs("-baseline", other, a, b); code != 1 {
		t.Errorf("another cycle's line accepted this one: exit %d\n%s", code, errs)
	}
	deps := filepath.Join(dir, "deps.baseline")
	os.WriteFile(deps, []byte(`{"baseline":1,"edges":[{"from":"A","to":"B","types":"-(EN)->"},{"from":"B","to":"A","types":"-(EN)->"}],"reports":[]}`), 0o644)
	if code, _, errs := runCheckArgs("-baseline", deps, a, b); code != 0 {
		t.Errorf("a baseline with every dependency of the cycle: exit %d\n%s", code, errs)
	}
}

// TestCheckAll: a test binary's own report fails the check only with -all.
func TestCheckAll(t *testing.T) {
	t.Setenv("LOCKDEP_DAEMON", "")
	dir := t.TempDir()
	a := saveUpload(t, dir, "a.test", 1, "A", "B")
	u, err := readReportFile(a)
	if err != nil {
		t.Fatal(err)
	}
	u.upload.Upload.Reports = []reports.Report{{Kind: "recursive", Classes: []string{"A"}, Message: "a lock of this class is already held", Text: "WARNING: possible recursive locking detected\n"}}
	var buf bytes.Buffer
	if err := reports.Encode(&buf, u.upload.Upload); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(a, buf.Bytes(), 0o644)
	if code, out, errs := runCheckArgs(a); code != 0 || out != "" {
		t.Errorf("without -all: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := runCheckArgs(a, "-all")
	if code != 1 || !strings.Contains(out, "a recursive report, from a.test pid 1 on h") || !strings.Contains(out, `{"kind":"recursive","classes":["A"]}`) {
		t.Errorf("with -all: exit %d\n%s%s", code, out, errs)
	}
}

// TestCheckUsage: bad invocations get status 2 or 3 and one clear line.
func TestCheckUsage(t *testing.T) {
	t.Setenv("LOCKDEP_DAEMON", "")
	dir := t.TempDir()
	a := saveUpload(t, dir, "a.test", 1, "A", "B")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "nothing to check"},
		{[]string{"-daemon", "http://127.0.0.1:1", a}, 2, "not both"},
		{[]string{"-daemon", "127.0.0.1:7077"}, 3, `daemon URL "127.0.0.1:7077": want http://HOST:PORT`},
		{[]string{a, "-baseline", filepath.Join(dir, "missing")}, 3, "-baseline open"},
		{[]string{"-baseline", a, a}, 3, "check: -baseline"},
		{[]string{filepath.Join(dir, "missing.json")}, 3, "missing.json"},
		{[]string{"-timeout", "0s", a}, 2, "positive"},
	} {
		code, _, errs := runCheckArgs(c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("check %q: exit %d, want %d and %q:\n%s", c.args, code, c.code, c.want, errs)
		}
	}
}

// startInProcess runs a daemon in this process and returns its URL.
func startInProcess(t *testing.T, token string) string {
	t.Helper()
	srv, err := daemon.New(daemon.Config{DataDir: t.TempDir(), Token: token})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return hs.URL
}

// postFile posts a saved upload to the daemon at url.
func postFile(t *testing.T, url, token, name string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", url+"/api/v1/upload", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("upload %s: %s", name, resp.Status)
	}
}

// TestCheckDaemon: the daemon's merged reports, asked with its token
// (from LOCKDEP_DAEMON and LOCKDEP_DAEMON_TOKEN_FILE, as a CI job has
// them), fail the check; without the token the daemon's refusal is shown.
func TestCheckDaemon(t *testing.T) {
	dir := t.TempDir()
	const token = "s3cret"
	url := startInProcess(t, token)
	postFile(t, url, token, saveUpload(t, dir, "a.test", 1, "A", "B"))
	postFile(t, url, token, saveUpload(t, dir, "b.test", 2, "B", "A"))
	tokFile := filepath.Join(dir, "token")
	os.WriteFile(tokFile, []byte(token+"\n"), 0o600)

	t.Setenv("LOCKDEP_DAEMON_TOKEN_FILE", "")
	code, _, errs := runCheckArgs("-daemon", url)
	if code != 3 || !strings.Contains(errs, "401 Unauthorized: missing or wrong bearer token") {
		t.Errorf("without the token: exit %d\n%s", code, errs)
	}
	t.Setenv("LOCKDEP_DAEMON", url+"/")
	t.Setenv("LOCKDEP_DAEMON_TOKEN_FILE", tokFile)
	code, out, errs := runCheckArgs()
	if code != 1 || !strings.Contains(out, "a cycle no single test binary saw") || !strings.Contains(errs, "from 2 run(s) in "+url) {
		t.Errorf("from LOCKDEP_DAEMON: exit %d\n%s%s", code, out, errs)
	}
	base := writeBaselineFile(t, dir, `{"kind":"circular","classes":["B","A"]}`)
	if code, out, errs := runCheckArgs("-baseline", base); code != 0 {
		t.Errorf("with the baseline: exit %d\n%s%s", code, out, errs)
	}
}
