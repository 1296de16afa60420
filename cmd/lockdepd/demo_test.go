package main

import (
	"bytes"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
)

func TestDemo(t *testing.T) {
	if !lockdep.Enabled {
		t.Skip("the validator is compiled out")
	}
	lockdep.Reset()
	var out, errOut bytes.Buffer
	if code := runMain([]string{"demo"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	text := out.String()
	for _, want := range []string{
		"WARNING: possible circular locking dependency detected",
		"(accounts) -(EN)-> (ledger)",
		"*** DEADLOCK ***",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	// Both stacks point into demo.go, at the second Lock of each goroutine.
	_, file, _, _ := runtime.Caller(0)
	demo := strings.TrimSuffix(file, "_test.go") + ".go"
	lines := regexp.MustCompile(regexp.QuoteMeta(demo)+`:(\d+)`).FindAllStringSubmatch(text, -1)
	if len(lines) < 2 || lines[0][1] == lines[1][1] {
		t.Errorf("want two distinct demo.go lines in the stacks, got %v", lines)
	}
}

func TestDemoUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := runMain([]string{"demo", "extra"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d for an extra argument, want 2", code)
	}
	if !strings.Contains(errOut.String(), `unexpected argument "extra"`) {
		t.Errorf("stderr %q", errOut.String())
	}
	if code := runMain([]string{"nosuch"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), `unknown command "nosuch"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut.String())
	}
}
