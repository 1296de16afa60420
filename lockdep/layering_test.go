package lockdep_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The layers of this module, in the manner of go/build's deps_test.go:
// the validator and the instrumented locks sit at the bottom and depend on
// the standard library and the goroutine-id package only; nothing in them
// may import what is built on top (the page-cache model, the filesystem
// model, the report formats, the daemon and commands).

const module = "github.com/golockdep/lockdep"

// forbidden are the module's upper layers, as import path prefixes.
var forbidden = []string{
	module + "/cache",
	module + "/fsimpl",
	module + "/reports",
	module + "/cmd",
}

// allowedThirdParty are the modules outside the standard library that the
// bottom layer may use.
var allowedThirdParty = []string{"github.com/petermattis/goid"}

type listedPackage struct {
	ImportPath string
	Deps       []string
}

// goList runs go list -json on the patterns and returns the packages the
// patterns name, each with its full (transitive) dependency list.
func goList(t *testing.T, tags string, patterns ...string) []listedPackage {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	args := append([]string{"list", "-json", "-tags=" + tags}, patterns...)
	cmd := exec.Command(goTool, args...)
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func isStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// TestLayering checks the packages lockdep and locks, and separately the
// other packages under lockdep/ and locks/ (test helpers such as
// lockdeptest), which the layering rule covers as well: they are linked
// into every test binary that uses them.
func TestLayering(t *testing.T) {
	for _, set := range []struct {
		name     string
		patterns []string
	}{
		{"core", []string{"./lockdep", "./locks"}},
		{"helpers", []string{"./lockdep/...", "./locks/..."}},
	} {
		t.Run(set.name, func(t *testing.T) {
			for _, tags := range []string{"", "lockdep_off"} {
				pkgs := goList(t, tags, set.patterns...)
				for i := range pkgs {
					pkgs[i].Deps = slices.DeleteFunc(pkgs[i].Deps, func(dep string) bool {
						return exempt(pkgs[i].ImportPath, dep)
					})
				}
				checkLayering(t, tags, pkgs)
			}
		})
	}
}

// exempt lists the permitted exceptions to the layering, each with its
// reason.
func exempt(pkg, dep string) bool {
	// lockdeptest is the bridge between a test binary and the daemon:
	// with LOCKDEP_DAEMON set, VerifyTestMain uploads the graph through
	// reports/upload, so that a test binary gets uploads and baselines by
	// calling VerifyTestMain alone. The validator itself (lockdep, locks)
	// stays free of reports: the "core" set checks that.
	return pkg == module+"/lockdep/lockdeptest" && (dep == module+"/reports" || dep == module+"/reports/upload")
}

func checkLayering(t *testing.T, tags string, pkgs []listedPackage) {
	t.Helper()
	if len(pkgs) < 2 {
		t.Fatalf("go list found %d packages, want lockdep and locks at least", len(pkgs))
	}
	for _, p := range pkgs {
		for _, dep := range p.Deps {
			for _, f := range forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("tags %q: %s depends on %s (upper layer %s)", tags, p.ImportPath, dep, f)
				}
			}
			if isStandard(dep) || strings.HasPrefix(dep, module+"/") {
				continue
			}
			ok := false
			for _, a := range allowedThirdParty {
				ok = ok || dep == a || strings.HasPrefix(dep, a+"/")
			}
			if !ok {
				t.Errorf("tags %q: %s depends on %s, outside the standard library and %v", tags, p.ImportPath, dep, allowedThirdParty)
			}
		}
		// The validator is below the locks: it must not import them.
		if strings.HasPrefix(p.ImportPath, module+"/lockdep") && slices.Contains(p.Deps, module+"/locks") {
			t.Errorf("tags %q: %s depends on %s/locks", tags, p.ImportPath, module)
		}
	}
}
