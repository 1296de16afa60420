package ldtest

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	waitTitle     = "possible deadlock through a wait"
	circularTitle = "possible circular locking dependency"
)

// TestWaitShapes: lockdepd test on testdata/waits, an unmodified module,
// predicts every shape of a deadlock through a wait that its run does not
// hit (package predicted: one report per shape, naming the shape's lock
// and event, with the right title), and reports nothing on their correct
// twins (package twins); the rewritten forms of channel operations compute
// what the originals do (package forms, whose tests check results). go test's -timeout and a deadline on the command
// keep a wrong rewrite that hangs from hanging the test; plain go test
// passes on the module.
func TestWaitShapes(t *testing.T) {
	bin := lockdepd(t)
	dir := moduleCopy(t, "waits")
	before := snapshot(t, dir)
	tmp := t.TempDir()
	out, code := runFor(t, 5*time.Minute, dir, env(tmp), bin, "test", "-count=1", "-timeout=60s", "./...")
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	predicted := section(out, "example.com/ldwaits/predicted")
	if !regexp.MustCompile(`(?m)^FAIL\s+example.com/ldwaits/predicted`).MatchString(predicted) {
		t.Errorf("package predicted did not fail:\n%s", out)
	}
	byShape := map[string][]string{}
	for _, r := range splitReports(predicted) {
		for _, m := range regexp.MustCompile(`predicted\.([A-Za-z]+)\.mu`).FindAllStringSubmatch(r, -1) {
			if n := len(byShape[m[1]]); n == 0 || byShape[m[1]][n-1] != r {
				byShape[m[1]] = append(byShape[m[1]], r)
			}
		}
	}
	for _, c := range []struct{ shape, title, event string }{
		{"Send", waitTitle, "(predicted.Send.ch (received))"},
		{"Recv", waitTitle, "(predicted.Recv.ch (sent))"},
		{"Select", waitTitle, "(predicted.Select.ch (received))"},
		{"Close", waitTitle, "(predicted.Close.stop (sent))"},
		{"WaitGroup", waitTitle, "(predicted.WaitGroup:WaitGroup (done))"},
		{"Cond", waitTitle, "(predicted.Cond:Cond (signalled))"},
		{"Once", circularTitle, "(predicted.(*lazy):Once)"},
		{"Semaphore", waitTitle, "(predicted.Semaphore.sem (received))"},
		{"Param", waitTitle, "(predicted.Param.ch (received))"},
	} {
		t.Run(c.shape, func(t *testing.T) {
			rs := byShape[c.shape]
			if len(rs) != 1 {
				t.Fatalf("%d reports name predicted.%s.mu, want 1:\n%s", len(rs), c.shape, strings.Join(rs, "\n"))
			}
			for _, want := range []string{"WARNING: " + c.title, c.event, "predicted.Test" + c.shape} {
				if !strings.Contains(rs[0], want) {
					t.Errorf("the report lacks %q:\n%s", want, rs[0])
				}
			}
		})
	}
	if n := len(splitReports(predicted)); n != 9 {
		t.Errorf("%d reports in package predicted, want 9 (one per shape)", n)
	}
	for _, p := range []string{"twins", "forms"} {
		s := section(out, "example.com/ldwaits/"+p)
		if !regexp.MustCompile(`(?m)^ok\s+example.com/ldwaits/`+p).MatchString(s) || strings.Contains(s, "WARNING:") {
			t.Errorf("package %s did not pass cleanly:\n%s", p, s)
		}
	}
	if !regexp.MustCompile(`lockdepd test: 3 of 3 test binaries ran: \d+ classes, \d+ dependencies, 9 reports`).MatchString(out) {
		t.Errorf("no summary line with 9 reports:\n%s", out)
	}
	checkUnchanged(t, before, snapshot(t, dir))

	plain, code := runFor(t, 5*time.Minute, dir, env(tmp), "go", "test", "-count=1", "-timeout=60s", "./...")
	if code != 0 {
		t.Errorf("plain go test failed (%d):\n%s", code, plain)
	}
}

// splitReports splits output at each report's title block.
func splitReports(out string) []string {
	starts := regexp.MustCompile(`(?m)^=+\nWARNING: `).FindAllStringIndex(out, -1)
	var rs []string
	for i, s := range starts {
		end := len(out)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		rs = append(rs, out[s[0]:end])
	}
	return rs
}

// runFor is run with a deadline: a command still running after d is
// killed and the test fails.
func runFor(t *testing.T, d time.Duration, dir string, environ []string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = environ
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s: still running after %v (hung?):\n%s", strings.Join(args, " "), d, out)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	return string(out), code
}
