package daemon_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOfflineReportAndBaseline saves the two subjects' graphs as files,
// renders them with "lockdepd report" (which finds the same cycle as the
// daemon), turns them into a baseline, and checks that the subjects pass
// against it while a baseline without the cycle's closing edge fails one.
func TestOfflineReportAndBaseline(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"ordera", "orderb"} {
		runSubject(t, name, "LOCKDEP_SAVE_DIR="+dir)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 2 {
		t.Fatalf("saved %v, want two files", files)
	}
	lockdepd := build(t, "lockdepd")
	out, err := exec.Command(lockdepd, append([]string{"report"}, files...)...).Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("report: %v, want exit status 1 for a graph with reports\n%s", err, out)
	}
	if n := strings.Count(string(out), "==== report "); n != 1 || !strings.Contains(string(out), "circular, cross-process") {
		t.Errorf("report found %d reports, want one cross-process cycle:\n%s", n, out)
	}
	baseline, err := exec.Command(lockdepd, append([]string{"report", "-format", "baseline"}, files...)...).Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("report -format baseline: %v", err)
	}
	bfile := filepath.Join(dir, "lockdep.baseline")
	os.WriteFile(bfile, baseline, 0o644)
	for _, name := range []string{"ordera", "orderb"} {
		runSubject(t, name, "LOCKDEP_BASELINE="+bfile) // fails the test if the subject fails
	}
	// Baseline only ordera's own graph: orderb's ledger -> accounts is new.
	onlyA := filepath.Join(dir, "a.baseline")
	runSubject(t, "ordera", "LOCKDEP_BASELINE_WRITE="+onlyA)
	out, err = subject(t, "orderb", "LOCKDEP_BASELINE="+onlyA).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "new dependency not in the baseline: ledger -(EN)-> accounts") {
		t.Errorf("orderb against ordera's baseline: %v\n%s", err, out)
	}
}
