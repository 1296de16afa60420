package scenario

import (
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/fsimpl"
)

// TestWatchdog: a run stuck with locks held is declared hung within the
// stall time and the held locks are dumped, instead of hanging the caller.
func TestWatchdog(t *testing.T) {
	s := &Scenario{Name: "stuck", Design: "ext4", Expect: clean, Script: func(e *Env) error {
		t := e.Task("app")
		f := e.FS.Create()
		if err := e.Fill(t, f, 0, 2); err != nil {
			return err
		}
		e.W.Sched.Arm("punch:before-free") // never released
		return e.FS.Fallocate(t, f, fsimpl.PunchHole, 0, 1)
	}}
	start := time.Now()
	res := Run(s, Options{Seed: 1, Stall: 300 * time.Millisecond})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("watchdog took %v", d)
	}
	if res.Verdict != "hung" || res.Pass {
		t.Fatalf("verdict %s pass %v", res.Verdict, res.Pass)
	}
	for _, want := range []string{"Showing all locks held", "ext4:i_rwsem", "ext4:invalidate_lock"} {
		if !strings.Contains(res.HeldDump, want) {
			t.Errorf("dump lacks %q:\n%s", want, res.HeldDump)
		}
	}
}

// TestLeftoverLocksFail: an operation that returns holding a lock fails
// the run.
func TestLeftoverLocksFail(t *testing.T) {
	s := &Scenario{Name: "leak", Design: "ext4", Expect: clean, Script: func(e *Env) error {
		f := e.FS.Create()
		done := make(chan struct{})
		go func() { f.IRwsem.DownRead(); close(done); select {} }()
		<-done
		return nil
	}}
	res := Run(s, Options{Seed: 1})
	if res.Pass || !strings.Contains(res.Why, "still held") || !strings.Contains(res.HeldDump, "i_rwsem") {
		t.Errorf("pass %v why %q dump %q", res.Pass, res.Why, res.HeldDump)
	}
}

// TestExpectCheck: a broken design that is not caught fails its row.
func TestExpectCheck(t *testing.T) {
	s, _ := Lookup("truncate-without-dio-wait")
	fixed := *s
	fixed.Design = "xfs" // the same script against the correct design
	res := Run(&fixed, Options{Seed: 1})
	if res.Pass || res.Verdict != "clean" {
		t.Errorf("verdict %s pass %v: the expectation must not pass a clean run", res.Verdict, res.Pass)
	}
}

// TestCatalogDescriptions: every scenario has a one-line summary that
// fits the list's 100 columns (with a name of at most 36), a description, and, if it runs a random
// workload, says that the workload's counts vary.
func TestCatalogDescriptions(t *testing.T) {
	for _, n := range Names() {
		s, _ := Lookup(n)
		if s.Summary == "" || len(s.Summary) > 50 || strings.Contains(s.Summary, "\n") {
			t.Errorf("%s: summary %q: want one line of at most 50 characters", n, s.Summary)
		}
		if len(n) > 36 {
			t.Errorf("%s: name longer than 36 characters: the list would not fit 100 columns", n)
		}
		if s.Doc == "" {
			t.Errorf("%s: no doc", n)
		}
		d := s.Description()
		if s.Stress.Skip == "" && !strings.Contains(d, "vary from run to run") {
			t.Errorf("%s: description does not say why its counts vary: %q", n, d)
		}
	}
}
