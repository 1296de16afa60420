package daemon_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/reports"
)

// subject returns the command that runs a subject test binary with this
// process's environment less its LOCKDEP variables, plus env.
func subject(t *testing.T, name string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(build(t, name), "-test.v")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LOCKDEP") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// runSubject runs a subject and fails the test if it fails.
func runSubject(t *testing.T, name string, env ...string) string {
	t.Helper()
	out, err := subject(t, name, env...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s failed on its own: %v\n%s", name, err, out)
	}
	return string(out)
}

// TestCrossBinaryCycle: two test binaries, each clean on its own, one
// taking accounts then ledger and the other ledger then accounts, give
// exactly one circular report at the daemon, naming both binaries.
func TestCrossBinaryCycle(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	for _, name := range []string{"ordera", "orderb"} {
		out := runSubject(t, name)
		if strings.Contains(out, "WARNING") {
			t.Fatalf("%s is not clean on its own:\n%s", name, out)
		}
		if out := runSubject(t, name, "LOCKDEP_DAEMON="+d.url); strings.Contains(out, "lockdep: warning") {
			t.Fatalf("%s could not upload:\n%s", name, out)
		}
	}
	code, body := d.get(t, "/api/v1/reports")
	if code != 200 {
		t.Fatalf("GET /api/v1/reports: %d %s", code, body)
	}
	var doc reports.ReportsJSON
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 2 {
		t.Errorf("%d runs, want 2", len(doc.Runs))
	}
	if len(doc.Reports) != 1 {
		t.Fatalf("%d reports, want exactly 1:\n%s", len(doc.Reports), body)
	}
	r := doc.Reports[0]
	if r.Kind != "circular" || !r.CrossProcess {
		t.Errorf("report kind %q cross_process %v", r.Kind, r.CrossProcess)
	}
	for _, bin := range []string{"ordera.test", "orderb.test"} {
		named := false
		for _, s := range r.Sources {
			named = named || strings.HasPrefix(s, bin+" pid ")
		}
		if !named || !strings.Contains(r.Text, bin) {
			t.Errorf("report does not name %s: sources %v\n%s", bin, r.Sources, r.Text)
		}
	}
	// Each edge of the cycle carries its own binary and the stack in the
	// subject's test file.
	for _, l := range r.Links() {
		want := "ordera.test"
		if l.From == "ledger" {
			want = "orderb.test"
		}
		if len(l.Sources) != 1 || !strings.HasPrefix(l.Sources[0], want) {
			t.Errorf("edge %s -> %s: sources %v, want %s", l.From, l.To, l.Sources, want)
		}
		found := false
		for _, f := range l.Stack {
			found = found || strings.HasSuffix(f.File, "_test.go")
		}
		if !found {
			t.Errorf("edge %s -> %s: stack %v does not reach the subject's test", l.From, l.To, l.Stack)
		}
	}
	for _, path := range []string{"/lockdep", "/lockdep_stats", "/lockdep_chains", "/lock_stat", "/graph.dot"} {
		code, body := d.get(t, path)
		if code != 200 || !strings.Contains(string(body), "accounts") && path != "/lockdep_stats" {
			t.Errorf("GET %s: %d\n%s", path, code, body)
		}
	}
	// The subjects collected contention statistics while uploading.
	if _, body := d.get(t, "/lock_stat"); !strings.Contains(string(body), "accounts-W:") {
		t.Errorf("/lock_stat has no line for accounts:\n%s", body)
	}
}
