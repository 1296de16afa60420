package lockdeptest_test

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/reports"
)

// helperEnv makes this test binary a subject: TestMain then runs the
// tests under VerifyTestMain, and TestSubject takes the locks named by
// LOCKDEPTEST_ORDER ("AB": A then B).
const helperEnv = "LOCKDEPTEST_SUBJECT"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		lockdeptest.VerifyTestMain(m)
	}
	os.Exit(m.Run())
}

var keys = map[byte]*lockdep.Key{'A': new(lockdep.Key), 'B': new(lockdep.Key)}

func TestSubject(t *testing.T) {
	order := os.Getenv("LOCKDEPTEST_ORDER")
	if os.Getenv(helperEnv) == "" || order == "" {
		t.Skip("run as a subprocess by the other tests")
	}
	var ms []*lockdep.Map
	for i := range order {
		m := lockdep.NewMap(order[i:i+1], keys[order[i]])
		m.Acquire(0, lockdep.Exclusive)
		ms = append(ms, m)
	}
	for i := len(ms) - 1; i >= 0; i-- {
		ms[i].Release()
	}
}

// runSubject re-executes the test binary as a subject with env and
// returns its exit status, standard error and run time.
func runSubject(t *testing.T, order string, env ...string) (int, string, time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSubject$")
	cmd.Env = append(cleanEnv(), append([]string{helperEnv + "=1", "LOCKDEPTEST_ORDER=" + order}, env...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stderr.String(), time.Since(start)
}

// cleanEnv is the environment without this package's variables, so that a
// developer's own settings do not leak into the subjects.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LOCKDEP") {
			out = append(out, kv)
		}
	}
	return out
}

func TestCleanRunPasses(t *testing.T) {
	if code, stderr, _ := runSubject(t, "AB"); code != 0 || stderr != "" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// requireValidator skips tests that need a graph when the validator is
// compiled out (-tags lockdep_off).
func requireValidator(t *testing.T) {
	if !lockdep.Enabled {
		t.Skip("the validator is compiled out (lockdep_off): no graph to check")
	}
}

func TestBaseline(t *testing.T) {
	requireValidator(t)
	file := filepath.Join(t.TempDir(), "lockdep.baseline")
	if code, stderr, _ := runSubject(t, "AB", lockdeptest.EnvBaselineWrite+"="+file); code != 0 {
		t.Fatalf("writing the baseline: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	b, err := reports.ReadBaseline(bytes.NewReader(data))
	if err != nil || len(b.Edges) != 1 || b.Edges[0].From != "A" || b.Edges[0].To != "B" {
		t.Fatalf("baseline %v:\n%s", err, data)
	}
	if code, stderr, _ := runSubject(t, "AB", lockdeptest.EnvBaseline+"="+file); code != 0 {
		t.Errorf("the baselined order fails: exit %d\n%s", code, stderr)
	}
	code, stderr, _ := runSubject(t, "BA", lockdeptest.EnvBaseline+"="+file)
	if code == 0 || !strings.Contains(stderr, "new dependency not in the baseline: B -(EN)-> A") {
		t.Errorf("a new order passes: exit %d\n%s", code, stderr)
	}
	// A second binary adds its order to the same file.
	if code, stderr, _ := runSubject(t, "BA", lockdeptest.EnvBaselineWrite+"="+file); code != 0 {
		t.Fatalf("adding to the baseline: exit %d\n%s", code, stderr)
	}
	data, _ = os.ReadFile(file)
	if b, err := reports.ReadBaseline(bytes.NewReader(data)); err != nil || len(b.Edges) != 2 {
		t.Errorf("baseline after two writers %v:\n%s", err, data)
	}
	os.WriteFile(file, []byte("not json"), 0o644)
	if code, stderr, _ := runSubject(t, "AB", lockdeptest.EnvBaseline+"="+file); code == 0 || !strings.Contains(stderr, "malformed") {
		t.Errorf("a corrupt baseline: exit %d\n%s", code, stderr)
	}
}

func TestSaveDir(t *testing.T) {
	dir := t.TempDir()
	if code, stderr, _ := runSubject(t, "AB", "LOCKDEP_SAVE_DIR="+dir); code != 0 || stderr != "" {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("saved files %v, want one", files)
	}
	f, _ := os.Open(files[0])
	defer f.Close()
	u, err := reports.Decode(f, reports.Limits{})
	want := 1
	if !lockdep.Enabled {
		want = 0 // compiled out: an empty graph, still uploaded
	}
	if err != nil || len(u.Edges) != want || u.Identity.PID <= 0 {
		t.Errorf("saved upload: %v %+v", err, u)
	}
}

// TestDaemonDown: an unreachable daemon fails the binary with one line
// naming it (go test shows a passing binary's output only with -v), or
// costs that line alone with LOCKDEP_UPLOAD_OPTIONAL=1.
func TestDaemonDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	code, stderr, _ := runSubject(t, "AB", "LOCKDEP_DAEMON=http://"+addr)
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, addr) || !strings.Contains(stderr, "failing the test binary") {
		t.Errorf("exit %d, stderr %q; want 1 and one line naming the daemon", code, stderr)
	}
	code, stderr, _ = runSubject(t, "AB", "LOCKDEP_DAEMON=http://"+addr, "LOCKDEP_UPLOAD_OPTIONAL=1")
	if code != 0 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "a warning only") {
		t.Errorf("optional: exit %d, stderr %q; want 0 and one warning line", code, stderr)
	}
}

// TestDaemonURLChecked: a LOCKDEP_DAEMON without a scheme fails the
// binary before its tests run, with one line giving the URL it meant; with
// LOCKDEP_UPLOAD_OPTIONAL=1 the tests run and the line is a warning.
func TestDaemonURLChecked(t *testing.T) {
	run := func(env ...string) (int, string, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSubject$", "-test.v")
		cmd.Env = append(cleanEnv(), append([]string{helperEnv + "=1", "LOCKDEPTEST_ORDER=AB"}, env...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}
	code, stdout, stderr := run("LOCKDEP_DAEMON=127.0.0.1:7078")
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "want http://127.0.0.1:7078") ||
		!strings.Contains(stderr, "not running the tests") || strings.Contains(stdout, "TestSubject") {
		t.Errorf("exit %d, stderr %q, stdout %q; want 1, one line and no test run", code, stderr, stdout)
	}
	code, stdout, stderr = run("LOCKDEP_DAEMON=127.0.0.1:7078", "LOCKDEP_UPLOAD_OPTIONAL=1")
	if code != 0 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "a warning only") || !strings.Contains(stdout, "--- PASS: TestSubject") {
		t.Errorf("optional: exit %d, stderr %q, stdout %q; want 0, one warning and the test run", code, stderr, stdout)
	}
}

// TestDaemonSlow: a daemon that never answers is given up on after the
// timeout.
func TestDaemonSlow(t *testing.T) {
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer hs.Close()
	defer close(release)
	code, stderr, took := runSubject(t, "AB", "LOCKDEP_DAEMON="+hs.URL, "LOCKDEP_DAEMON_TIMEOUT=300ms", "LOCKDEP_UPLOAD_OPTIONAL=1")
	if code != 0 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "deadline exceeded") {
		t.Errorf("exit %d, stderr %q; want 0 and one timeout warning", code, stderr)
	}
	if took > 10*time.Second {
		t.Errorf("the subject took %v despite a 300ms timeout", took)
	}
}

// TestDaemonReceives: the upload reaches a daemon, with the binary's graph.
func TestDaemonReceives(t *testing.T) {
	got := make(chan *reports.Upload, 1)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := reports.Decode(r.Body, reports.Limits{})
		if err != nil || r.URL.Path != "/api/v1/upload" {
			http.Error(w, "bad", 400)
			return
		}
		got <- u
	}))
	defer hs.Close()
	if code, stderr, _ := runSubject(t, "AB", "LOCKDEP_DAEMON="+hs.URL); code != 0 || stderr != "" {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	select {
	case u := <-got:
		if !strings.HasSuffix(u.Identity.Binary, ".test") || lockdep.Enabled && (len(u.Edges) != 1 || u.Edges[0].From != "A") {
			t.Errorf("upload %+v", u)
		}
	default:
		t.Fatal("nothing uploaded")
	}
}
