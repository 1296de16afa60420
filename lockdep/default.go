package lockdep

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// The default validator's options come from the environment, read once at
// start-up, so that a test run can be tuned without editing code:
//
//	LOCKDEP_RULES=go|kernel        Options.Rules (default go)
//	LOCKDEP_MAX_DEPTH=N            Options.MaxDepth (default 1024)
//	LOCKDEP_MAX_CLASSES=N          Options.MaxClasses (default 8192)
//	LOCKDEP_MAX_EDGES=N            Options.MaxEdges (default 131072)
//	LOCKDEP_MAX_CHAINS=N           Options.MaxChains (default 65536)
//	LOCKDEP_MAX_INSTANCE_PAIRS=N   Options.MaxInstancePairs (default 65536)
//	LOCKDEP_MAX_PROBLEMS=N         Options.MaxProblems (default 10000)
//	LOCKDEP_STACK_DEPTH=N          Options.StackDepth (default 32)
//	LOCKDEP_ONESHOT=1              Options.OneShot
//	LOCKDEP_HANG_TIMEOUT=D|off     Options.HangTimeout (a duration such as 30s; default 30s)
//	LOCKDEP_SHUFFLE=N              Options.Shuffle: perturb schedules with seed N
//	LOCKDEP_FENCE=off|on           off: no membarrier: a goroutine's first lock marks its
//	                               task with an atomic store (task.go), as on
//	                               systems without it (every validator)
//
// A value that does not parse is reported on one line of standard error
// and the default is used.

// EnvOptions returns the options the environment asks for (see above), and
// a description of every variable that could not be used.
func EnvOptions() (Options, []string) {
	var o Options
	var bad []string
	num := func(name string, dst *int) {
		s, ok := os.LookupEnv(name)
		if !ok || s == "" {
			return
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			bad = append(bad, fmt.Sprintf("%s=%q is not a positive integer", name, s))
			return
		}
		*dst = n
	}
	num("LOCKDEP_MAX_DEPTH", &o.MaxDepth)
	num("LOCKDEP_MAX_CLASSES", &o.MaxClasses)
	num("LOCKDEP_MAX_EDGES", &o.MaxEdges)
	num("LOCKDEP_MAX_CHAINS", &o.MaxChains)
	num("LOCKDEP_MAX_INSTANCE_PAIRS", &o.MaxInstancePairs)
	num("LOCKDEP_MAX_PROBLEMS", &o.MaxProblems)
	num("LOCKDEP_STACK_DEPTH", &o.StackDepth)
	switch s := strings.ToLower(strings.TrimSpace(os.Getenv("LOCKDEP_RULES"))); s {
	case "", "go":
	case "kernel":
		o.Rules = KernelRules
	default:
		bad = append(bad, fmt.Sprintf("LOCKDEP_RULES=%q is neither go nor kernel", s))
	}
	switch s := strings.TrimSpace(os.Getenv("LOCKDEP_ONESHOT")); s {
	case "", "0", "false":
	case "1", "true":
		o.OneShot = true
	default:
		bad = append(bad, fmt.Sprintf("LOCKDEP_ONESHOT=%q is neither 0 nor 1", s))
	}
	switch s := strings.TrimSpace(os.Getenv("LOCKDEP_HANG_TIMEOUT")); s {
	case "":
	case "off", "0":
		o.HangTimeout = -1
	default:
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			o.HangTimeout = d
		} else {
			bad = append(bad, fmt.Sprintf("LOCKDEP_HANG_TIMEOUT=%q is neither a positive duration (30s) nor off", s))
		}
	}
	if s := strings.TrimSpace(os.Getenv("LOCKDEP_SHUFFLE")); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			o.Shuffle = n
		} else {
			bad = append(bad, fmt.Sprintf("LOCKDEP_SHUFFLE=%q is not an integer seed", s))
		}
	}
	if s := strings.TrimSpace(os.Getenv("LOCKDEP_FENCE")); s != "" && s != "off" && s != "on" {
		bad = append(bad, fmt.Sprintf("LOCKDEP_FENCE=%q is neither off nor on", s))
	}
	if _, err := o.withDefaults(); err != nil {
		bad = append(bad, err.Error())
		return Options{}, bad
	}
	return o, bad
}

// fenceTurnedDown reports whether LOCKDEP_FENCE=off asks the task table not
// to use an asymmetric fence (fence_linux_amd64.go); another value that is
// not "on" is named by EnvOptions, and the fence is used.
func fenceTurnedDown() bool { return strings.TrimSpace(os.Getenv("LOCKDEP_FENCE")) == "off" }

// newDefault builds the default validator from the environment.
func newDefault() *Validator {
	o, bad := EnvOptions()
	for _, b := range bad {
		fmt.Fprintf(os.Stderr, "lockdep: warning: %s; using the default\n", b)
	}
	if o.Shuffle != 0 {
		fmt.Fprintf(os.Stderr, "lockdep: perturbing schedules with LOCKDEP_SHUFFLE=%d\n", o.Shuffle)
	}
	return MustNew(o)
}

// failTestBinary ends a test binary at a report that no handler took: in
// a passing "go test ./..." run, standard error is shown only for packages
// that fail, so a report printed and forgotten would be lost. Package
// lockdeptest installs a handler (and fails the binary at the end instead,
// with every report); this is for binaries that do not use it.
func failTestBinary() {
	if flag.Lookup("test.v") == nil {
		return // not a test binary
	}
	fmt.Fprintln(os.Stderr, "lockdep: a report in a test binary that does not use package lockdeptest: "+
		"exiting with status 1 so that go test shows it (use lockdeptest.Run or VerifyTestMain in TestMain "+
		"to run every test and fail at the end)")
	os.Exit(1)
}
