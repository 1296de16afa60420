// Package dropin converts a small package written against package sync to
// package locks the way the README tells users to (one sed line and the
// import), then builds, vets and tests it in a module of its own.
package dropin

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// syncLock is the README's sed line, s/sync\.\(RW\)\?Mutex/locks.\1Mutex/g.
var syncLock = regexp.MustCompile(`sync\.(RW)?Mutex`)

const locksImport = `"github.com/golockdep/lockdep/locks"`

// convert applies the sed line and fixes the imports as goimports would:
// package locks is added, package sync dropped if nothing else uses it.
func convert(src string) string {
	out := syncLock.ReplaceAllString(src, "locks.${1}Mutex")
	if out == src {
		return src
	}
	stillSync := strings.Contains(strings.Replace(out, `"sync"`, "", 1), "sync.")
	switch {
	case strings.Contains(out, "import \"sync\"\n"):
		imp := "import " + locksImport + "\n"
		if stillSync {
			imp = "import (\n\t\"sync\"\n\n\t" + locksImport + "\n)\n"
		}
		out = strings.Replace(out, "import \"sync\"\n", imp, 1)
	case stillSync:
		out = strings.Replace(out, "\t\"sync\"\n", "\t\"sync\"\n\n\t"+locksImport+"\n", 1)
	default:
		out = strings.Replace(out, "\t\"sync\"\n", "\t"+locksImport+"\n", 1)
	}
	return out
}

func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// module writes the converted testdata packages into a new module that
// requires this repository, and returns its directory.
func module(t *testing.T) string {
	dir := t.TempDir()
	for _, pkg := range []string{"store", "copied"} {
		files, err := filepath.Glob(filepath.Join("testdata", pkg, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("testdata/%s: %v", pkg, err)
		}
		if err := os.MkdirAll(filepath.Join(dir, pkg), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out := convert(string(b))
			if err := os.WriteFile(filepath.Join(dir, pkg, filepath.Base(f)), []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	mod := "module example.com/dropin\n\ngo 1.22\n\nrequire github.com/golockdep/lockdep v0.0.0\n\n" +
		"replace github.com/golockdep/lockdep => " + repoRoot(t) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "go", "mod", "tidy")
	return dir
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := command(dir, args...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func command(dir string, args ...string) (string, error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "LOCKDEP_DAEMON=", "LOCKDEP_RULES=")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestDropIn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a converted module (several seconds); runs without -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	dir := module(t)

	// The conversion kept the user's go line: this module asks for no newer Go.
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "\ngo 1.22\n") && !strings.Contains(string(mod), "\ngo 1.22.0\n") {
		t.Errorf("go mod tidy changed the go line:\n%s", mod)
	}
	src, _ := os.ReadFile(filepath.Join(dir, "store", "store.go"))
	for _, want := range []string{"locks.RWMutex\n", "locks.Mutex\n", "&locks.RWMutex{}", locksImport} {
		if !strings.Contains(string(src), want) {
			t.Errorf("converted store.go lacks %q", want)
		}
	}

	t.Run("vet", func(t *testing.T) {
		run(t, dir, "go", "vet", "./store")
		out, err := command(dir, "go", "vet", "./copied")
		if err == nil || !strings.Contains(out, "copies lock value") {
			t.Errorf("go vet did not flag the copied lock after conversion (err %v):\n%s", err, out)
		}
	})
	t.Run("test", func(t *testing.T) {
		// Without lockdeptest a report ends the binary with status 1, so a
		// pass means no report: the suite's Go-legal patterns (a commit
		// from another goroutine, accounts by id, shards in order, a Cond
		// over a converted mutex) are not flagged.
		out := run(t, dir, "go", "test", "-count=1", "./store")
		if strings.Contains(out, "lockdep:") {
			t.Errorf("reports in the converted suite:\n%s", out)
		}
	})
	t.Run("off", func(t *testing.T) {
		run(t, dir, "go", "test", "-count=1", "-tags", "lockdep_off", "./store")
	})
}
