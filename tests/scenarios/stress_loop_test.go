package scenarios

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/scenario"
)

// loopEnv is how many times TestCorrectDesignsStressLoop repeats the
// stress of TestCorrectDesignsStress.
const loopEnv = "LOCKDEP_STRESS_LOOP"

// TestCorrectDesignsStressLoop repeats TestCorrectDesignsStress's stress
// of each correct design LOCKDEP_STRESS_LOOP times, to show that a design
// stays clean on every run, not just most: a flake of 1 run in 100 passes
// the plain test 99 times out of 100. It counts the rounds that failed
// and prints the first in full. One round of one design takes about half
// a second, so pick a design with -run and lift the test timeout:
//
//	LOCKDEP_STRESS_LOOP=1000 go test ./tests/scenarios -timeout 0 \
//		-run 'TestCorrectDesignsStressLoop/bcachefs-dio-fault-recursion-aware'
func TestCorrectDesignsStressLoop(t *testing.T) {
	rounds, err := strconv.Atoi(os.Getenv(loopEnv))
	if err != nil || rounds <= 0 {
		t.Skipf("set %s=1000 (and -timeout 0, -run TestCorrectDesignsStressLoop/<design>) to repeat the stress of each correct design 1000 times", loopEnv)
	}
	seeds, ops := stressSize()
	for _, n := range correctDesigns() {
		t.Run(n, func(t *testing.T) {
			s, err := scenario.Lookup(n)
			if err != nil {
				t.Fatal(err)
			}
			failed := 0
			for r := 1; r <= rounds; r++ {
				for seed := int64(1); seed <= int64(seeds); seed++ {
					res := scenario.Run(s, scenario.Options{Seed: seed, Ops: ops})
					if res.Pass && res.Verdict == "clean" {
						continue
					}
					failed++
					if failed == 1 {
						var b strings.Builder
						res.WriteText(&b)
						t.Errorf("round %d, seed %d: %s\n%s", r, seed, res.Why, b.String())
					}
					break
				}
			}
			t.Logf("%s: %d of %d rounds (%d seeds x %d ops each) failed", n, failed, rounds, seeds, ops)
			if failed > 0 {
				t.Errorf("%d of %d rounds failed", failed, rounds)
			}
		})
	}
}
