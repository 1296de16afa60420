package main

import (
	"flag"
	"fmt"
	"io"
	"sync"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

func init() {
	register(&command{name: "demo", summary: "show the validator catching an ABBA inversion that did not deadlock", run: runDemo})
}

var demoKeyA, demoKeyB lockdep.Key

// runDemo takes two locks in one order in one goroutine and in the other
// order in another, one after the other, so the run never deadlocks; the
// validator reports the inversion anyway.
func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lockdepd demo\n\nTakes lock A then B in one goroutine, then B then A in another, never at the same\ntime, and prints the validator's report of the possible deadlock.")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "demo: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	var reports []*lockdep.Report
	restore := lockdep.SetHandler(func(r *lockdep.Report) { reports = append(reports, r) })
	defer restore()

	accounts := locks.NewMutex("accounts", &demoKeyA)
	ledger := locks.NewMutex("ledger", &demoKeyB)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // transfer: accounts, then ledger
		defer wg.Done()
		accounts.Lock()
		ledger.Lock()
		ledger.Unlock()
		accounts.Unlock()
	}()
	wg.Wait()
	wg.Add(1)
	go func() { // audit: ledger, then accounts
		defer wg.Done()
		ledger.Lock()
		accounts.Lock()
		accounts.Unlock()
		ledger.Unlock()
	}()
	wg.Wait()

	fmt.Fprintln(stdout, "Two goroutines took locks \"accounts\" and \"ledger\" in opposite orders, one after")
	fmt.Fprintln(stdout, "the other. This run did not deadlock, but a run where they overlap would:")
	for _, r := range reports {
		fmt.Fprint(stdout, r.String())
	}
	if len(reports) == 0 {
		fmt.Fprintln(stdout, "no report was made: the validator is off (built with -tags lockdep_off?)")
		return 1
	}
	return 0
}
