package main

import (
	"fmt"
	"io"
	"strings"
)

// testArgs is the command line of lockdepd test split the way go test
// splits its own: lockdepd's flags, go test's flags (passed through in
// order), the packages, and the test binary's arguments after -args.
type testArgs struct {
	deps, keep, help bool

	flags   []string // go test's flags, as given, without -C, -modfile, -overlay
	build   []string // the build flags among them, for go list too
	pkgs    []string
	binArgs []string // "-args" and what follows

	dir, modfile, overlay, mod string // -C, -modfile, -overlay, -mod
}

// valueFlags are go test's and go build's flags that take a value.
var valueFlags = set("C", "p", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags", "installsuffix",
	"ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec", "coverpkg", "covermode",
	"coverprofile", "exec", "o", "vet", "bench", "benchtime", "blockprofile", "blockprofilerate", "count", "cpu",
	"cpuprofile", "fuzz", "fuzzminimizetime", "fuzztime", "list", "memprofile", "memprofilerate", "mutexprofile",
	"mutexprofilefraction", "outputdir", "parallel", "run", "skip", "shuffle", "timeout", "trace",
	"debug-actiongraph", "debug-runtime-trace", "debug-trace")

// buildFlags are the flags that change how packages are built or which
// files they have: go list gets them too, so that the rewrite sees the
// files go test compiles and shares its build cache.
var buildFlags = set("race", "msan", "asan", "tags", "gcflags", "asmflags", "compiler", "gccgoflags",
	"installsuffix", "linkshared", "mod", "modcacherw", "pgo", "pkgdir", "toolexec", "trimpath", "buildvcs")

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func parseTestArgs(args []string) (*testArgs, error) {
	ta := &testArgs{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-args" || a == "--args" {
			ta.binArgs = append([]string{"-args"}, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			ta.pkgs = append(ta.pkgs, a) // go test takes flags before and after the packages
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		bare := strings.TrimPrefix(name, "test.")
		switch name {
		case "deps":
			ta.deps = true
			continue
		case "keep":
			ta.keep = true
			continue
		case "h", "help":
			ta.help = true
			continue
		}
		full := []string{a}
		if valueFlags[bare] && !hasValue {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("flag %s needs a value", a)
			}
			i++
			value = args[i]
			full = append(full, value)
		}
		switch name {
		case "C":
			ta.dir = value
			continue
		case "modfile":
			ta.modfile = value
			continue
		case "overlay":
			ta.overlay = value
			continue
		case "mod":
			ta.mod = value
		}
		ta.flags = append(ta.flags, full...)
		if buildFlags[name] {
			ta.build = append(ta.build, full...)
		}
	}
	return ta, nil
}

func testUsage(w io.Writer) {
	fmt.Fprint(w, `usage: lockdepd test [-deps] [-keep] [go test flags] [packages] [-args ...]

Runs go test on the packages with every sync.Mutex and sync.RWMutex of the
module's own packages (and, with -deps, of its non-standard dependencies)
replaced by validated locks, each in the class of its declaration
(pkg.Type.field, pkg.var, pkg.Func.var, pkg.Type.field[]). The files are
not touched: the build uses rewritten copies through go test -overlay, in a
temporary directory removed at the end. Every test binary fails on a
lockdep report, with the report in go test's output; a summary line
follows. Every go test flag works; the exit status is go test's, or 1 if
the merged graphs of the binaries show a cycle.

  -deps   also rewrite the module's non-standard-library dependencies
  -keep   keep the temporary directory (rewritten files, overlay) and say where

Environment: LOCKDEP_DAEMON, LOCKDEP_BASELINE and the other LOCKDEP_*
variables reach the test binaries; LOCKDEPD_CACHE is the rewrite cache
(default: the user cache directory; "off" for none).
`)
}
