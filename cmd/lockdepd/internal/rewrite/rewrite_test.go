package rewrite

import (
	"flag"
	"go/importer"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// plan analyses testdata/NAME as the package example.com/NAME (and its
// test files as its test variant) and plans its rewrite as a tested
// package.
func plan(t *testing.T, name string) (*Plan, map[string][]byte, []*Facts) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	all, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(all)
	var files, withTests []string
	for _, f := range all {
		if !strings.HasSuffix(f, "_test.go") {
			files = append(files, f)
		}
		withTests = append(withTests, f)
	}
	srcs := map[string][]byte{}
	src := func(p string) ([]byte, error) {
		b, err := os.ReadFile(p)
		srcs[p] = b
		return b, err
	}
	fset := token.NewFileSet()
	std := importer.ForCompiler(fset, "gc", nil)
	imp := func(id string) (*types.Package, error) { return std.Import(id) }
	sizes := types.SizesFor("gc", runtime.GOARCH)
	path := "example.com/" + name
	var facts []*Facts
	for _, p := range []*Package{
		{ID: path, Path: path, Label: name, Files: files},
		{ID: path + " [" + path + ".test]", Path: path, Label: name, Files: withTests},
	} {
		f, _, err := Analyze(fset, p, src, imp, sizes)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Errors) > 0 {
			t.Fatalf("%s: type errors: %v", p.ID, f.Errors)
		}
		facts = append(facts, f)
	}
	tested := []Tested{{Path: path, Dir: dir, Name: name, Internal: path + " [" + path + ".test]"}}
	pl := Decide(facts, tested, func(string) bool { return false })
	return pl, srcs, facts
}

// TestGolden: the rewrite of testdata/bank, file by file, against
// testdata/bank.golden/*.
func TestGolden(t *testing.T) {
	pl, srcs, _ := plan(t, "bank")
	got := map[string][]byte{}
	for _, f := range pl.Files() {
		out, err := pl.Render(f, srcs[f])
		if err != nil {
			t.Fatal(err)
		}
		got[filepath.Base(f)+".golden"] = out
	}
	for f, b := range pl.Generated {
		got[filepath.Base(f)+".golden"] = b
	}
	got["warnings.golden"] = []byte(strings.Join(trimDirs(pl.Warnings), "\n") + "\n")
	goldenDir := filepath.Join("testdata", "bank.golden")
	if *update {
		os.RemoveAll(goldenDir)
		os.MkdirAll(goldenDir, 0o755)
		for name, b := range got {
			if err := os.WriteFile(filepath.Join(goldenDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want, _ := filepath.Glob(filepath.Join(goldenDir, "*"))
	if len(want) != len(got) {
		t.Errorf("%d files, golden has %d", len(got), len(want))
	}
	for name, b := range got {
		w, err := os.ReadFile(filepath.Join(goldenDir, name))
		if err != nil {
			t.Errorf("%s: %v (run with -update)", name, err)
			continue
		}
		if string(w) != string(b) {
			t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", name, b)
		}
	}
}

func trimDirs(ws []string) []string {
	dir, _ := filepath.Abs("testdata")
	var out []string
	for _, w := range ws {
		out = append(out, strings.ReplaceAll(w, dir+string(filepath.Separator), ""))
	}
	return out
}
