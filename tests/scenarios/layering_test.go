package scenarios

import (
	"go/build"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const module = "github.com/golockdep/lockdep"

// TestLayering: the model never imports the daemon (cmd/...), and cache
// and fsimpl never import reports.
func TestLayering(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	for pkg, banned := range map[string][]string{
		"cache":    {"cmd/", "reports", "fsimpl", "scenario"},
		"fsimpl":   {"cmd/", "reports", "scenario"},
		"scenario": {"cmd/"},
	} {
		for dep := range deps(t, root, pkg) {
			for _, b := range banned {
				if strings.HasPrefix(dep, b) {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
}

// deps returns the module packages pkg imports, directly or not.
func deps(t *testing.T, root, pkg string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		bp, err := build.ImportDir(filepath.Join(root, p), 0)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, imp := range bp.Imports {
			rel, ok := strings.CutPrefix(imp, module+"/")
			if !ok || seen[rel] {
				continue
			}
			seen[rel] = true
			walk(rel)
		}
	}
	walk(pkg)
	return seen
}
