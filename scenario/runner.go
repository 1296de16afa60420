package scenario

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/fsimpl"
	"github.com/golockdep/lockdep/lockdep"
)

// Options are a run's parameters.
type Options struct {
	Seed int64
	// Ops is the number of random stress operations run after the script
	// (0: none).
	Ops int
	// Stall is how long the run may make no progress before the watchdog
	// declares it hung (default 3s).
	Stall time.Duration
}

// Run runs s. It uses the default validator, reset before and after, with
// its reports routed to the run: runs must not overlap.
func Run(s *Scenario, o Options) *Result {
	if !lockdep.Enabled {
		return &Result{Scenario: s.Name, Design: s.Design, Seed: o.Seed, Ops: o.Ops, Verdict: "error",
			Expected: s.Expect.String(), Why: "the validator is compiled out (built with -tags lockdep_off)"}
	}
	start := time.Now()
	var res *Result
	if s.CompareClassic {
		classic := runOnce(s, o, false)
		res = runOnce(s, o, true)
		switch {
		case classic.Verdict == "hung":
			res = classic
		case len(classic.Reports) > 0:
			// The scenario exists to show what subclass-only validation
			// misses; if it caught something, the claim does not hold.
			res.Why = fmt.Sprintf("subclass-only validation made %d report(s) too (first: %s)",
				len(classic.Reports), classic.Reports[0].Kind)
		default:
			res.Notes = append(res.Notes, fmt.Sprintf(
				"the same run with subclass-only validation (no comparison function on the class, as in the kernel for these locks) made %d lock report(s): both paths annotate the pair first=0, second=1", len(classic.Reports)))
		}
	} else {
		res = runOnce(s, o, s.InstanceOrders)
	}
	res.Expected = s.Expect.String()
	res.Description = s.Description()
	if res.Why == "" {
		res.Pass, res.Why = s.Expect.check(res)
	}
	res.Elapsed = time.Since(start)
	return res
}

func runOnce(s *Scenario, o Options, orders bool) *Result {
	if o.Stall == 0 {
		o.Stall = 3 * time.Second
	}
	res := &Result{Scenario: s.Name, Design: s.Design, Seed: o.Seed, Ops: o.Ops}
	if s.Stress.Skip != "" {
		res.Ops = 0
	}
	lockdep.Reset()
	baseline := heldGoroutines()
	w := cache.NewWorld(cache.Options{})
	// mu is the harness's, not the code's under test: the handler takes
	// it inside the validator, and the run holds it while it looks for
	// locks left held, so lockdepd test must leave it a plain sync.Mutex.
	var mu sync.Mutex //lockdepd:ignore
	seen := map[string]bool{}
	restore := lockdep.SetHandler(func(r *lockdep.Report) {
		mu.Lock()
		k := r.Kind.String() + "|" + strings.Join(r.Classes, "|")
		if !seen[k] {
			seen[k] = true
			res.Reports = append(res.Reports, r)
		}
		mu.Unlock()
		w.AbortOnSelfDeadlock(r)
	})
	defer func() {
		restore()
		// The run's reports are its own, in res: none is left in the
		// default validator for a later check (lockdepd test's summary
		// counted the last scenario's expected report).
		lockdep.Reset()
	}()
	setOrders := func() {
		if orders {
			fsimpl.SetInstanceOrders()
		} else {
			fsimpl.ClearInstanceOrders()
		}
	}
	setOrders()
	w.OnAbort = func(*cache.Abort) {
		lockdep.Reset()
		cache.RegisterKeys()
		setOrders()
	}
	fs, err := fsimpl.Mount(w, s.Design)
	if err != nil {
		res.Verdict, res.Why = "error", err.Error()
		return res
	}
	e := &Env{W: w, FS: fs, Seed: o.Seed, Ops: o.Ops, anon: map[*cache.Task]uint64{}}
	done := make(chan error, 1)
	go func() {
		err := w.Run(func() error { return s.Script(e) })
		// Everything the script started has ended: what it found is
		// the same on every run.
		mu.Lock()
		res.ScriptReports = len(res.Reports)
		mu.Unlock()
		res.ScriptOracle = w.Oracle.Counts()
		if err == nil && res.Ops > 0 {
			err = runStress(e, s.Stress)
		}
		done <- err
	}()
	if hung := watch(w, done, o.Stall, &err); hung {
		res.Verdict = "hung"
		res.Why = fmt.Sprintf("no progress for %v: the run is stuck", o.Stall)
		res.HeldDump = lockdep.FormatAllHeldLocks(lockdep.AllHeldLocks())
		mu.Lock()
		res.Reports = append([]*lockdep.Report(nil), res.Reports...)
		mu.Unlock()
		return res
	}
	mu.Lock()
	defer mu.Unlock()
	res.Notes = e.notes
	res.Oracle = w.Oracle.Counts()
	res.Findings = w.Oracle.Findings()
	res.Aborted = w.Aborts()
	res.Graph = lockdep.TakeSnapshot()
	if _, isAbort := err.(*cache.Abort); err != nil && !isAbort {
		res.Why = "script failed: " + err.Error()
	}
	if left := leftover(baseline); len(left) > 0 {
		res.HeldDump = lockdep.FormatAllHeldLocks(left)
		res.Why = "locks still held after the run"
	}
	res.Verdict = "clean"
	if len(res.Reports) > 0 || !res.Oracle.Zero() {
		res.Verdict = "reported"
	}
	return res
}

// watch waits for the run, firing if progress stops for stall.
func watch(w *cache.World, done <-chan error, stall time.Duration, err *error) bool {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	last, since := w.Sched.Progress(), time.Now()
	for {
		select {
		case *err = <-done:
			return false
		case <-tick.C:
			if p := w.Sched.Progress(); p != last {
				last, since = p, time.Now()
			} else if time.Since(since) > stall {
				return true
			}
		}
	}
}

func heldGoroutines() map[int64]bool {
	m := map[int64]bool{}
	for _, g := range lockdep.AllHeldLocks() {
		m[g.Goroutine] = true
	}
	return m
}

// leftover returns the held locks of goroutines that held none before the
// run: an operation that returned without releasing what it took.
func leftover(baseline map[int64]bool) []lockdep.GoroutineLocks {
	var out []lockdep.GoroutineLocks
	for _, g := range lockdep.AllHeldLocks() {
		if !baseline[g.Goroutine] && len(g.Locks) > 0 {
			out = append(out, g)
		}
	}
	return out
}
