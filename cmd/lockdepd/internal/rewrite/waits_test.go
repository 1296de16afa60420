package rewrite

import (
	"strings"
	"testing"
)

// TestForeignWaitGroup: a WaitGroup handed to a package left out of the
// rewrite is warned about, as a lock is: one type is locks', the other
// sync's.
func TestForeignWaitGroup(t *testing.T) {
	_, _, facts := plan(t, "crosswait")
	var onlyB []*Facts
	for _, f := range facts {
		if strings.HasSuffix(f.Path, "/b") {
			onlyB = append(onlyB, f)
		}
	}
	pl := Decide(onlyB, nil, func(string) bool { return false })
	if len(pl.Warnings) != 1 || !strings.Contains(pl.Warnings[0], "a.Join holds a sync lock of package example.com/crosswait/a") {
		t.Errorf("warnings %q, want one about package a", pl.Warnings)
	}
	if pl.Stats.Waits != 1 {
		t.Errorf("%d WaitGroup, Once and Cond occurrences rewritten in b, want 1", pl.Stats.Waits)
	}
}
