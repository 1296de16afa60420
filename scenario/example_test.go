package scenario_test

import (
	"fmt"

	"github.com/golockdep/lockdep/scenario"
)

// A broken design is caught by the scripted race alone, on every run.
func ExampleRun() {
	s, _ := scenario.Lookup("xfs-dedupe-compare-via-read-path")
	res := scenario.Run(s, scenario.Options{Seed: 1})
	fmt.Println(res.Got())
	fmt.Println("pass:", res.Pass)
	// Output:
	// reported (recursive xfs:invalidate_lock)
	// pass: true
}
