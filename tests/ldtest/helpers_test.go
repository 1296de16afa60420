package ldtest

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/reports"
)

// module copies testdata/mod to a new directory and returns it.
func module(t *testing.T) string {
	t.Helper()
	return moduleCopy(t, "mod")
}

// moduleCopy copies testdata/name to a new directory and returns it.
func moduleCopy(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(filepath.Join("testdata", name), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("testdata", name), p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshot returns the hash of every file under dir, and its mode and
// modification time, by path.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files[p] = fmt.Sprintf("%x %v %v", sha256.Sum256(b), info.Mode(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func checkUnchanged(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, h := range before {
		if after[p] != h {
			t.Errorf("%s changed (or went away)", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s appeared in the module", p)
		}
	}
}

// env is the environment of the commands: no daemon or baseline from the
// caller's environment, temporary files in tmp.
func env(tmp string, extra ...string) []string {
	return append(os.Environ(), append([]string{"TMPDIR=" + tmp, "LOCKDEP_DAEMON=", "LOCKDEP_BASELINE=",
		"LOCKDEP_SAVE_DIR=", "LOCKDEP_RULES=", "GOFLAGS="}, extra...)...)
}

func run(t *testing.T, dir string, environ []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = environ
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	return string(out), code
}

// lockdepdTemps lists the temporary directories lockdepd test left in tmp.
func lockdepdTemps(t *testing.T, tmp string) []string {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(tmp, "lockdepd-test-*"))
	if err != nil {
		t.Fatal(err)
	}
	return left
}

// lineOf returns the line of the nth occurrence (from 1) of s in file.
func lineOf(t *testing.T, file, s string, nth int) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, s) {
			if nth--; nth == 0 {
				return i + 1
			}
		}
	}
	t.Fatalf("%s: no occurrence %d of %q", file, nth, s)
	return 0
}

// section returns the part of go test's output that belongs to package
// pkg: from the end of the previous package's result line to its own.
func section(out, pkg string) string {
	re := regexp.MustCompile(`(?m)^(ok|FAIL|\?)\s+` + regexp.QuoteMeta(pkg) + `\b.*$`)
	loc := re.FindStringIndex(out)
	if loc == nil {
		return ""
	}
	prev := regexp.MustCompile(`(?m)^(ok|FAIL|\?)\s+\S+.*$`).FindAllStringIndex(out[:loc[0]], -1)
	start := 0
	if len(prev) > 0 {
		start = prev[len(prev)-1][1]
	}
	return out[start:loc[1]]
}

// savedClasses reads the graphs the test binaries saved (LOCKDEP_SAVE_DIR)
// and returns their class names.
func savedClasses(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no saved graphs in %s (%v)", dir, err)
	}
	classes := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		u, err := reports.DecodeBytes(b, reports.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range u.Classes {
			classes[c.Name] = true
		}
	}
	return classes
}

func keys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
