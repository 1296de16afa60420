package lockdeptest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/reports"
)

type fakeM struct{ code int }

func (f fakeM) Run() int { return f.code }

// TestRunMSummary: RunM returns Run's code and, with the summary directory
// set, writes the binary's graph there as an upload that Decode reads.
func TestRunMSummary(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(lockdeptest.EnvSummaryDir, dir)
	if got := lockdeptest.RunM(fakeM{code: 3}); got != 3 {
		t.Fatalf("RunM = %d, want the tests' 3", got)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("summary files %v (%v), want one", files, err)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	u, err := reports.DecodeBytes(b, reports.Limits{})
	if err != nil {
		t.Fatalf("decoding the summary: %v", err)
	}
	if u.Identity.PID != os.Getpid() {
		t.Errorf("summary from pid %d, want %d", u.Identity.PID, os.Getpid())
	}
}

// TestWrapM: what lockdepd test hands a goleak-shaped helper runs the tests
// through RunM: their code comes back, and the summary is written.
func TestWrapM(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(lockdeptest.EnvSummaryDir, dir)
	if got := lockdeptest.WrapM(fakeM{code: 5}).Run(); got != 5 {
		t.Fatalf("WrapM(m).Run() = %d, want the tests' 5", got)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files) != 1 {
		t.Fatalf("summary files %v, want one: WrapM did not go through RunM", files)
	}
}
