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

// plan analyses testdata/NAME as the package example.com/NAME, or, if it
// has subdirectories, each of them as example.com/NAME/SUB in lexical
// order, with their test files as test variants and external test
// packages, and plans the rewrite with every package tested.
func plan(t *testing.T, name string) (*Plan, map[string][]byte, []*Facts) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{root}
	if subs, _ := filepath.Glob(filepath.Join(root, "*", "*.go")); len(subs) > 0 {
		dirs = nil
		for _, s := range subs {
			if d := filepath.Dir(s); len(dirs) == 0 || dirs[len(dirs)-1] != d {
				dirs = append(dirs, d)
			}
		}
	}
	srcs := map[string][]byte{}
	src := func(p string) ([]byte, error) {
		b, err := os.ReadFile(p)
		srcs[p] = b
		return b, err
	}
	fset := token.NewFileSet()
	std := importer.ForCompiler(fset, "gc", nil)
	checked := map[string]*types.Package{}
	imp := func(id string) (*types.Package, error) {
		if p := checked[id]; p != nil {
			return p, nil
		}
		return std.Import(id)
	}
	sizes := types.SizesFor("gc", runtime.GOARCH)
	var facts []*Facts
	var tested []Tested
	for _, dir := range dirs {
		rel, _ := filepath.Rel(filepath.Dir(root), dir)
		path := "example.com/" + filepath.ToSlash(rel)
		label := filepath.Base(dir)
		all, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		sort.Strings(all)
		var files, internal, external []string
		for _, f := range all {
			b, _ := os.ReadFile(f)
			switch {
			case !strings.HasSuffix(f, "_test.go"):
				files = append(files, f)
				internal = append(internal, f)
			case strings.Contains(string(b), "package "+label+"_test"):
				external = append(external, f)
			default:
				internal = append(internal, f)
			}
		}
		variant := path + " [" + path + ".test]"
		pkgs := []*Package{{ID: path, Path: path, Label: label, Files: files}}
		tt := Tested{Path: path, Dir: dir, Name: label}
		if len(internal) > len(files) {
			pkgs = append(pkgs, &Package{ID: variant, Path: path, Label: label, Files: internal,
				Imports: map[string]string{path: variant}})
			tt.Internal = variant
		}
		if len(external) > 0 {
			x := path + "_test [" + path + ".test]"
			pkgs = append(pkgs, &Package{ID: x, Path: path + "_test", Label: label + "_test", Files: external})
			tt.External, tt.XName = x, label+"_test"
		}
		for _, p := range pkgs {
			f, tp, err := Analyze(fset, p, src, imp, sizes)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Errors) > 0 {
				t.Fatalf("%s: type errors: %v", p.ID, f.Errors)
			}
			checked[p.ID] = tp
			facts = append(facts, f)
		}
		if tt.Internal != "" || tt.External != "" {
			tested = append(tested, tt)
		}
	}
	pl := Decide(facts, tested, func(string) bool { return false })
	return pl, srcs, facts
}

// TestGolden: the rewrite of each testdata/NAME, file by file, against
// testdata/NAME.golden/*: bank (every kind of declaration), shadow (what
// must not be rewritten), cross (one package's locks used by another),
// waits (channels, WaitGroup, Once, Cond), ignore (locks whose declaration
// says //lockdepd:ignore), helper (a TestMain that hands m to a helper
// package of the module, whose m.Run() is rewritten, and one to a helper
// taking an interface, which gets lockdeptest.WrapM(m)), named (a package
// whose own type is named TestMain: the generated TestMain goes into an
// external test package).
func TestGolden(t *testing.T) {
	for _, name := range []string{"bank", "shadow", "cross", "waits", "ignore", "helper", "named"} {
		t.Run(name, func(t *testing.T) { golden(t, name) })
	}
}

func golden(t *testing.T, name string) {
	pl, srcs, _ := plan(t, name)
	root, _ := filepath.Abs(filepath.Join("testdata", name))
	got := map[string][]byte{}
	for _, f := range pl.Files() {
		out, err := pl.Render(f, srcs[f])
		if err != nil {
			t.Fatal(err)
		}
		got[goldenName(root, f)] = out
	}
	for f, b := range pl.Generated {
		got[goldenName(root, f)] = b
	}
	got["warnings.golden"] = []byte(strings.Join(trimDirs(pl.Warnings), "\n") + "\n")
	goldenDir := filepath.Join("testdata", name+".golden")
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

// goldenName is a file's golden name: its path under root, with
// underscores for separators, and ".golden".
func goldenName(root, f string) string {
	rel, _ := filepath.Rel(root, f)
	return strings.ReplaceAll(filepath.ToSlash(rel), "/", "_") + ".golden"
}

// TestForeignWarning: a package that uses the locks of a package left out
// of the rewrite is warned about, once, with the remedy.
func TestForeignWarning(t *testing.T) {
	_, _, facts := plan(t, "cross")
	var onlyB []*Facts
	for _, f := range facts {
		if strings.HasSuffix(f.Path, "/b") {
			onlyB = append(onlyB, f)
		}
	}
	pl := Decide(onlyB, nil, func(string) bool { return false })
	if len(pl.Warnings) != 1 || !strings.Contains(pl.Warnings[0], "of package example.com/cross/a, which is not rewritten") ||
		!strings.Contains(pl.Warnings[0], "-deps") {
		t.Errorf("warnings %q, want one about package a", pl.Warnings)
	}
}

// TestHandOffWarning: a TestMain that hands *testing.M to a helper of a
// package left out of the rewrite is warned about (its m.Run() will not
// check for reports), with the remedy; one that hands it to a helper taking
// an interface is not: it gets lockdeptest.WrapM(m) (the golden "helper").
func TestHandOffWarning(t *testing.T) {
	_, _, facts := plan(t, "helper")
	var users []*Facts
	for _, f := range facts {
		if strings.HasSuffix(f.Path, "/user") || strings.HasSuffix(f.Path, "/leakuser") {
			users = append(users, f)
		}
	}
	pl := Decide(users, nil, func(string) bool { return false })
	if len(pl.Warnings) != 1 || !strings.Contains(pl.Warnings[0], "hands *testing.M to onlyon.Main, which is not rewritten") ||
		!strings.Contains(pl.Warnings[0], "-deps") {
		t.Errorf("warnings %q, want one about onlyon.Main", pl.Warnings)
	}
}
