package srcmod

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpToDate: module.txtar holds what the tree holds now. When it fails,
// run go generate ./cmd/lockdepd/internal/srcmod and commit module.txtar.
func TestUpToDate(t *testing.T) {
	want, err := Collect("../../../..")
	if err != nil {
		t.Skipf("cannot list the tree: %v", err)
	}
	got, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	gotBy := map[string][]byte{}
	for _, f := range got {
		gotBy[f.Name] = f.Data
	}
	var stale []string
	for _, f := range want {
		if g, ok := gotBy[f.Name]; !ok || !bytes.Equal(g, f.Data) {
			stale = append(stale, f.Name)
		}
		delete(gotBy, f.Name)
	}
	for name := range gotBy {
		stale = append(stale, name+" (gone from the tree)")
	}
	if len(stale) > 0 {
		t.Fatalf("module.txtar is stale: run go generate ./cmd/lockdepd/internal/srcmod and commit it; differs: %s",
			strings.Join(stale, ", "))
	}
}

// TestOnlyGoid: the archive's packages need only the standard library and
// the goroutine-id module, so that it builds in any module.
func TestOnlyGoid(t *testing.T) {
	reqs, sums, err := Requirements()
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || !strings.HasPrefix(reqs[0], "github.com/petermattis/goid ") {
		t.Errorf("requirements %q, want goid alone", reqs)
	}
	if n := bytes.Count(sums, []byte("\n")); n != 2 {
		t.Errorf("go.sum has %d lines, want goid's 2", n)
	}
}

func TestFormatRoundTrip(t *testing.T) {
	in := []File{{Name: "b/x.go", Data: []byte("package x\n")}, {Name: "a.txt", Data: []byte("-- not a header\n")}}
	data, err := Format(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Name != "a.txt" || string(out[1].Data) != "package x\n" {
		t.Fatalf("round trip: %+v", out)
	}
	if _, err := Format([]File{{Name: "c", Data: []byte("-- c --\n")}}); err == nil {
		t.Error("Format accepted a line that reads as a header")
	}
}

func TestExtract(t *testing.T) {
	cache := t.TempDir()
	dir, err := Extract(cache)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Extract(cache)
	if err != nil || again != dir {
		t.Fatalf("second Extract: %q, %v; want %q", again, err, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "locks", "declared", "mutex.go")); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 {
		t.Errorf("cache holds %d entries, want the module alone", len(entries))
	}
}

func TestWithGoVersion(t *testing.T) {
	for in, want := range map[string]string{
		"package p\n":                            "//go:build go1.22\n\npackage p\n",
		"//go:build !x\n\npackage p\n":           "//go:build (!x) && go1.22\n\npackage p\n",
		"// c\n//go:build a || b\n\npackage p\n": "// c\n//go:build (a || b) && go1.22\n\npackage p\n",
		"// c\n\npackage p\n//go:build x\n":      "//go:build go1.22\n\n// c\n\npackage p\n//go:build x\n",
	} {
		if got := string(withGoVersion([]byte(in))); got != want {
			t.Errorf("withGoVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
