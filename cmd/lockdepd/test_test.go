package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseTestArgs(t *testing.T) {
	for _, c := range []struct {
		args                  []string
		flags, build, pkgs    []string
		binArgs               []string
		deps                  bool
		dir, modfile, overlay string
	}{
		{args: nil},
		{args: []string{"./..."}, pkgs: []string{"./..."}},
		{
			args:  []string{"-deps", "-race", "-run", "TestX", "-count=1", "./a", "./b/...", "-v", "-timeout", "30s"},
			flags: []string{"-race", "-run", "TestX", "-count=1", "-v", "-timeout", "30s"},
			build: []string{"-race"}, pkgs: []string{"./a", "./b/..."}, deps: true,
		},
		{
			args:  []string{"-tags", "foo,bar", "-json", "-short", "-C", "sub", "-modfile=alt.mod", "-overlay", "o.json", ".", "-args", "-x", "y"},
			flags: []string{"-tags", "foo,bar", "-json", "-short"}, build: []string{"-tags", "foo,bar"},
			pkgs: []string{"."}, binArgs: []string{"-args", "-x", "y"}, dir: "sub", modfile: "alt.mod", overlay: "o.json",
		},
		{args: []string{"-test.run=X", "-test.count", "2", "pkg"}, flags: []string{"-test.run=X", "-test.count", "2"}, pkgs: []string{"pkg"}},
	} {
		ta, err := parseTestArgs(c.args)
		if err != nil {
			t.Fatalf("%q: %v", c.args, err)
		}
		if !reflect.DeepEqual(ta.flags, c.flags) || !reflect.DeepEqual(ta.build, c.build) || !reflect.DeepEqual(ta.pkgs, c.pkgs) ||
			!reflect.DeepEqual(ta.binArgs, c.binArgs) || ta.deps != c.deps || ta.dir != c.dir || ta.modfile != c.modfile || ta.overlay != c.overlay {
			t.Errorf("%q: flags %q build %q pkgs %q binArgs %q deps %v dir %q modfile %q overlay %q",
				c.args, ta.flags, ta.build, ta.pkgs, ta.binArgs, ta.deps, ta.dir, ta.modfile, ta.overlay)
		}
	}
	if _, err := parseTestArgs([]string{"-run"}); err == nil {
		t.Error("a value flag without its value was accepted")
	}
}

func TestTestHelp(t *testing.T) {
	var out bytes.Buffer
	if code := runMain([]string{"test", "-h"}, &out, &out); code != 0 {
		t.Fatalf("status %d", code)
	}
	if !strings.Contains(out.String(), "usage: lockdepd test") {
		t.Errorf("no usage:\n%s", out.String())
	}
}

// TestTestNotAModule: outside a module, one line says so.
func TestTestNotAModule(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	t.Setenv("GOFLAGS", "")
	t.Setenv("GO111MODULE", "")
	var out bytes.Buffer
	code := runMain([]string{"test", "-C", dir, "./..."}, &out, &out)
	if code != 1 || !strings.Contains(out.String(), "not in a module") {
		t.Errorf("status %d:\n%s", code, out.String())
	}
}

// TestMainModule: the module path in a go.mod, comments and quotes aside.
func TestMainModule(t *testing.T) {
	for in, want := range map[string]string{
		"module example.com/m\n\ngo 1.24\n":     "example.com/m",
		"// c\nmodule \"example.com/q\" // x\n": "example.com/q",
		"go 1.24\n":                             "",
	} {
		if got := mainModule([]byte(in)); got != want {
			t.Errorf("mainModule(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCopyModule: a dependency's copy has its packages' files, the
// rewritten ones in place, and a go line that allows generic types.
func TestCopyModule(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "copy")
	for name, data := range map[string]string{
		"go.mod":        "module example.com/dep\n\ngo 1.15\n",
		"dep.go":        "package dep\n",
		"README":        "read me\n",
		"sub/sub.go":    "package sub\n",
		"other/x.go":    "package other\n",
		"sub/deep/d.go": "package deep\n",
	} {
		p := filepath.Join(src, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o444)
	}
	rewritten := filepath.Join(src, "sub", "sub.go")
	err := copyModule(src, dst, map[string]bool{src: true, filepath.Join(src, "sub"): true},
		[]string{rewritten}, map[string][]byte{rewritten: []byte("package sub // rewritten\n")})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"go.mod":     "module example.com/dep\n\ngo 1.18\n",
		"dep.go":     "package dep\n",
		"README":     "read me\n",
		"sub/sub.go": "package sub // rewritten\n",
	} {
		if b, err := os.ReadFile(filepath.Join(dst, name)); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", name, b, err, want)
		}
	}
	for _, absent := range []string{"other/x.go", "sub/deep/d.go"} {
		if _, err := os.Stat(filepath.Join(dst, absent)); err == nil {
			t.Errorf("%s was copied: not a package of the build", absent)
		}
	}
}

func TestVersionLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		less bool
	}{{"1.15", "1.18", true}, {"1.21", "1.21", false}, {"go1.23.4", "go1.24", true}, {"go1.26.8", "go1.24", false}, {"1.9", "1.10", true}} {
		if got := versionLess(c.a, c.b); got != c.less {
			t.Errorf("versionLess(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

// TestVetFlags: vet is turned off, with a warning, only before Go 1.24
// and only if the user did not set -vet.
func TestVetFlags(t *testing.T) {
	for _, c := range []struct {
		version string
		flags   []string
		off     bool
	}{
		{"go1.22.12", nil, true},
		{"go1.23.4", []string{"-run", "X"}, true},
		{"go1.22.12", []string{"-vet=off"}, false},
		{"go1.22.12", []string{"-vet", "atomic"}, false},
		{"go1.24.10", nil, false},
		{"go1.26.8", nil, false},
	} {
		var errs bytes.Buffer
		s := &session{env: &goEnv{GOVERSION: c.version}, args: &testArgs{flags: c.flags}, stderr: &errs}
		got := s.vetFlags()
		if off := reflect.DeepEqual(got, []string{"-vet=off"}); off != c.off || off != strings.Contains(errs.String(), "go vet is off") {
			t.Errorf("%s %q: flags %q, warning %q", c.version, c.flags, got, errs.String())
		}
	}
}

// TestRewriteSetLeavesTheValidator: in this repository, the validator's
// own packages and every package of their test binaries are left as they
// are; the module's other packages and their test binaries are rewritten.
func TestRewriteSetLeavesTheValidator(t *testing.T) {
	const m = "github.com/golockdep/lockdep/"
	rs := &rewriteSet{support: map[string]bool{m + "lockdep": true}, tested: map[string]bool{m + "lockdep": true, m + "cache": true}}
	for _, c := range []struct {
		id, forTest string
		want        bool
	}{
		{m + "lockdep", "", false},
		{m + "lockdep [" + m + "lockdep.test]", m + "lockdep", false},
		{m + "lockdep_test [" + m + "lockdep.test]", m + "lockdep", false},
		{m + "cache [" + m + "lockdep.test]", m + "lockdep", false},
		{m + "cache", "", true},
		{m + "cache [" + m + "cache.test]", m + "cache", true},
		{m + "cache_test [" + m + "cache.test]", m + "cache", true},
		{m + "lockdep [" + m + "cache.test]", m + "cache", false},
	} {
		var p listed
		js := fmt.Sprintf(`{"ImportPath": %q, "ForTest": %q, "Name": "x", "Module": {"Path": "github.com/golockdep/lockdep", "Main": true}}`, c.id, c.forTest)
		if err := json.Unmarshal([]byte(js), &p); err != nil {
			t.Fatal(err)
		}
		if got := rs.has(&p); got != c.want {
			t.Errorf("%s: rewritten %v, want %v", c.id, got, c.want)
		}
	}
}
