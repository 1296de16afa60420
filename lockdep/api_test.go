package lockdep_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
)

// TestDocListsAPI: every exported top-level name of the package (types,
// functions, variables, and constants not attached to a type) is named in
// the package documentation's API section, so that the overview stays the
// list of what users call. "DefaultMax..." stands for the names it
// begins.
func TestDocListsAPI(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	d := doc.New(pkgs["lockdep"], "github.com/golockdep/lockdep/lockdep", 0)
	_, api, ok := strings.Cut(d.Doc, "\n# API\n")
	if !ok {
		t.Fatal("the package documentation has no API section")
	}
	listed := func(name string) bool {
		if strings.Contains(api, name) {
			return true
		}
		for i := 1; i < len(name); i++ {
			if strings.Contains(api, name[:i]+"...") {
				return true
			}
		}
		return false
	}
	var names []string
	for _, v := range append(d.Consts, d.Vars...) {
		names = append(names, v.Names...)
	}
	for _, f := range d.Funcs {
		names = append(names, f.Name)
	}
	for _, typ := range d.Types {
		names = append(names, typ.Name)
		for _, f := range typ.Funcs {
			names = append(names, f.Name)
		}
	}
	for _, n := range names {
		if ast.IsExported(n) && !listed(n) {
			t.Errorf("%s is exported but not listed in the package documentation's API section", n)
		}
	}
}
