package scenarios

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/scenario"
)

// run runs one scenario and fails t with the full result if it did not
// show what it must.
func run(t testing.TB, name string, seed int64, ops int) *scenario.Result {
	t.Helper()
	s, err := scenario.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	res := scenario.Run(s, scenario.Options{Seed: seed, Ops: ops})
	if !res.Pass {
		var b strings.Builder
		res.WriteText(&b)
		t.Errorf("%s seed %d: %s\n%s", name, seed, res.Why, b.String())
	}
	return res
}

// TestEveryScenario runs each scenario with a short stress workload.
func TestEveryScenario(t *testing.T) {
	for _, n := range scenario.Names() {
		t.Run(n, func(t *testing.T) { run(t, n, 1, 200) })
	}
}

// TestRequiredScenarios checks the table is all there, with the
// verdicts it asks for.
func TestRequiredScenarios(t *testing.T) {
	want := map[string]string{
		"ext4-punch-vs-fault": "clean", "punch-vs-fault-no-invalidate-lock": "reported",
		"fault-takes-i_rwsem": "reported", "fuse-dax-narrow-lock": "reported", "fuse-dax-full-lock": "clean",
		"xfs-reflink-dedupe": "clean", "xfs-dedupe-compare-via-read-path": "reported",
		"two-inode-order-mismatch": "reported", "bcachefs-dio-fault-same-file": "reported",
		"bcachefs-dio-fault-recursion-aware": "clean", "truncate-without-dio-wait": "reported",
		"xfs-truncate-vs-dio": "clean",
	}
	for n, v := range want {
		s, err := scenario.Lookup(n)
		if err != nil {
			t.Error(err)
			continue
		}
		if s.Expect.Verdict != v {
			t.Errorf("%s expects %s, the issue says %s", n, s.Expect.Verdict, v)
		}
	}
}

// TestBrokenCaughtByScriptAlone runs the broken designs with no stress at
// all, over several seeds: the scripted race alone must catch each one,
// every time.
func TestBrokenCaughtByScriptAlone(t *testing.T) {
	for _, n := range scenario.Names() {
		s, _ := scenario.Lookup(n)
		if s.Expect.Verdict != "reported" {
			continue
		}
		for seed := int64(1); seed <= 5; seed++ {
			res := run(t, n, seed, 0)
			if res.Verdict != "reported" {
				t.Errorf("%s seed %d: not caught", n, seed)
			}
		}
	}
}

// stressSize is the stress TestCorrectDesignsStress runs per design: the
// long stress unless -short, with LOCKDEP_STRESS_OPS operations per seed
// if set.
func stressSize() (seeds, ops int) {
	seeds, ops = 3, 3000
	if !testing.Short() {
		seeds, ops = 10, 10000
	}
	if v, err := strconv.Atoi(os.Getenv("LOCKDEP_STRESS_OPS")); err == nil && v > 0 {
		ops = v
	}
	return seeds, ops
}

// correctDesigns returns the scenarios whose design must stay clean.
func correctDesigns() []string {
	var out []string
	for _, n := range scenario.Names() {
		if s, _ := scenario.Lookup(n); s.Expect.Verdict == "clean" {
			out = append(out, n)
		}
	}
	return out
}

// TestCorrectDesignsStress runs each correct design under a short stress;
// the long stress runs unless -short, and LOCKDEP_STRESS_OPS scales it.
func TestCorrectDesignsStress(t *testing.T) {
	seeds, ops := stressSize()
	for _, n := range correctDesigns() {
		t.Run(n, func(t *testing.T) {
			for seed := int64(1); seed <= int64(seeds); seed++ {
				res := run(t, n, seed, ops)
				if res.Verdict != "clean" {
					return
				}
			}
		})
	}
}
