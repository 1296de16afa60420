// Package offbuild checks that a program built with -tags lockdep_off pays
// nothing at start-up for the validator: no goroutine, and no heap beyond
// what the standard packages it links allocate anyway. It builds two small
// programs that lock a lock once and print their counters: one with
// package locks, one with package sync and the same standard packages.
package offbuild

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const report = `
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println(runtime.NumGoroutine(), ms.Mallocs, ms.HeapAlloc)
`

const withLocks = `package main

import (
	"fmt"
	"runtime"

	"github.com/golockdep/lockdep/locks"
)

var mu locks.Mutex
var rw locks.RWMutex

func main() {
	mu.Lock()
	mu.Unlock()
	rw.RLock()
	rw.RUnlock()
` + report + `}
`

func withSync(stdImports []string) string {
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n\t\"fmt\"\n\t\"runtime\"\n\t\"sync\"\n")
	for _, p := range stdImports {
		if p != "fmt" && p != "runtime" && p != "sync" {
			fmt.Fprintf(&b, "\t_ %q\n", p)
		}
	}
	b.WriteString(")\n\nvar mu sync.Mutex\nvar rw sync.RWMutex\n\nfunc main() {\n\tmu.Lock()\n\tmu.Unlock()\n\trw.RLock()\n\trw.RUnlock()\n")
	b.WriteString(report + "}\n")
	return b.String()
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestOffBuildStartup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two programs (several seconds); runs without -short")
	}
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	dir := t.TempDir()
	mod := "module example.com/offbuild\n\ngo 1.24\n\nrequire github.com/golockdep/lockdep v0.0.0\n\n" +
		"replace github.com/golockdep/lockdep => " + root + "\n"
	write := func(name, src string) {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", mod)
	write("withlocks/main.go", withLocks)
	run(t, dir, "go", "mod", "tidy")
	// The standard packages the off build of package locks links.
	deps := strings.Fields(run(t, dir, "go", "list", "-tags", "lockdep_off", "-deps",
		"-f", "{{if .Standard}}{{.ImportPath}}{{end}}", "./withlocks"))
	var std []string
	for _, d := range deps {
		if !strings.Contains(d, "internal") && !strings.HasPrefix(d, "vendor/") && d != "unsafe" {
			std = append(std, d)
		}
	}
	write("withsync/main.go", withSync(std))

	// Each program is built once and run several times; the least of each
	// counter is kept, since a run may allocate a little more than another
	// (the runtime's background work varies).
	var got [2][3]uint64
	for i, prog := range []string{"withlocks", "withsync"} {
		bin := filepath.Join(dir, prog+".bin")
		run(t, dir, "go", "build", "-tags", "lockdep_off", "-o", bin, "./"+prog)
		for r := 0; r < 5; r++ {
			out := run(t, dir, bin)
			var c [3]uint64
			if _, err := fmt.Sscan(out, &c[0], &c[1], &c[2]); err != nil {
				t.Fatalf("%s printed %q: %v", prog, out, err)
			}
			for k := range c {
				if r == 0 || c[k] < got[i][k] {
					got[i][k] = c[k]
				}
			}
		}
	}
	locksG, syncG := got[0][0], got[1][0]
	if locksG != syncG {
		t.Errorf("goroutines after init: %d with locks, %d with sync", locksG, syncG)
	}
	// A handful of allocations of slack: package initialisation order and
	// map growth in the standard library differ between two programs.
	const slackMallocs, slackBytes = 16, 2048
	if got[0][1] > got[1][1]+slackMallocs || got[0][2] > got[1][2]+slackBytes {
		t.Errorf("after init with locks: %d allocations, %d heap bytes; with sync: %d, %d",
			got[0][1], got[0][2], got[1][1], got[1][2])
	}
	t.Logf("locks: %d goroutines, %d allocations, %d heap bytes; sync: %d, %d, %d",
		got[0][0], got[0][1], got[0][2], got[1][0], got[1][1], got[1][2])
}
