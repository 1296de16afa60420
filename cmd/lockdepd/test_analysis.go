package main

import (
	"crypto/sha256"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/golockdep/lockdep/cmd/lockdepd/internal/rewrite"
)

// analysis analyses the packages to rewrite, each at most once, reusing
// the cached Facts of a package whose files and imports are unchanged.
type analysis struct {
	s      *session
	byID   map[string]*listed
	labels map[string]string
	src    rewrite.Source
	files  map[string][]byte         // the content of every file read
	keys   map[string]string         // cache key per package analysed
	types  map[string]*types.Package // checked packages, by ID
	facts  map[string]*rewrite.Facts // by ID
	ok     map[string]bool           // analysed without type errors
	fset   *token.FileSet
	gc     types.Importer
	hits   int
	extKey map[string]string
}

func (an *analysis) run(nodes []*listed) ([]*rewrite.Facts, error) {
	an.facts, an.ok, an.extKey = map[string]*rewrite.Facts{}, map[string]bool{}, map[string]string{}
	rewritten := map[string]bool{}
	for _, p := range nodes {
		rewritten[p.ImportPath] = true
	}
	cache := newFactsCache(an.s.cacheDir)
	var misses []*listed
	for _, p := range nodes {
		k, err := an.key(p, rewritten)
		if err != nil {
			return nil, err
		}
		an.keys[p.ImportPath] = k
		if f := cache.get(k); f != nil {
			an.facts[p.ImportPath] = f
			an.hits++
		} else {
			misses = append(misses, p)
		}
	}
	if len(misses) > 0 {
		// A package analysed again needs the types of what it imports:
		// the module's packages from source, the others from export data.
		need := map[string]bool{}
		var mark func(id string)
		mark = func(id string) {
			if need[id] || !rewritten[id] {
				return
			}
			need[id] = true
			for _, imp := range an.byID[id].Imports {
				mark(imp)
			}
		}
		for _, p := range misses {
			mark(p.ImportPath)
		}
		if err := an.exportData(nodes, need, rewritten); err != nil {
			return nil, err
		}
		sizes := types.SizesFor("gc", an.s.env.GOARCH)
		for _, p := range nodes {
			if !need[p.ImportPath] {
				continue
			}
			if an.s.ctx.Err() != nil {
				return nil, an.s.ctx.Err()
			}
			f, tp, err := rewrite.Analyze(an.fset, an.pkg(p), an.read, an.importer(rewritten), sizes)
			if err != nil {
				return nil, err
			}
			an.types[p.ImportPath] = tp
			if an.facts[p.ImportPath] == nil {
				an.facts[p.ImportPath] = f
				cache.put(an.keys[p.ImportPath], f)
			}
		}
	}
	var all []*rewrite.Facts
	for _, p := range nodes {
		f := an.facts[p.ImportPath]
		if len(f.Errors) > 0 {
			an.s.warnf("%s does not type-check; left as it is (go test will say why): %s", p.ImportPath, f.Errors[0])
			continue
		}
		an.ok[p.ImportPath] = true
		all = append(all, f)
	}
	return all, nil
}

func (an *analysis) pkg(p *listed) *rewrite.Package {
	rp := &rewrite.Package{ID: p.ImportPath, Path: p.base(), Label: an.labels[p.base()], Imports: p.ImportMap}
	for _, f := range append(append([]string(nil), p.GoFiles...), p.CgoFiles...) {
		rp.Files = append(rp.Files, filepath.Join(p.Dir, f))
	}
	return rp
}

func (an *analysis) read(p string) ([]byte, error) {
	if b, ok := an.files[p]; ok {
		return b, nil
	}
	b, err := an.src(p)
	if err == nil {
		an.files[p] = b
	}
	return b, err
}

// key is the cache key of a package's Facts: this program, the Go release
// and build configuration, the package's files and label, and the keys of
// what it imports.
func (an *analysis) key(p *listed, rewritten map[string]bool) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "lockdepd facts\n%s\n%s %s/%s %q\n%s %s\n", toolID(), an.s.env.GOVERSION, an.s.env.GOOS,
		an.s.env.GOARCH, an.s.args.build, p.ImportPath, an.labels[p.base()])
	if p.Module != nil {
		fmt.Fprintf(h, "go %s\n", p.Module.GoVersion)
	}
	for _, f := range an.pkg(p).Files {
		b, err := an.read(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %x\n", f, sha256.Sum256(b))
	}
	imports := append([]string(nil), p.Imports...)
	sort.Strings(imports)
	for _, imp := range imports {
		if rewritten[imp] {
			fmt.Fprintf(h, "import %s %s\n", imp, an.keys[imp])
		} else {
			fmt.Fprintf(h, "import %s %s\n", imp, an.externalKey(imp))
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}

// externalKey identifies the API of a package that is not rewritten: its
// Go release for the standard library, its module version, or the hash of
// its files for a module replaced by a directory.
func (an *analysis) externalKey(id string) string {
	if k, ok := an.extKey[id]; ok {
		return k
	}
	p := an.byID[id]
	k := "unknown"
	switch {
	case p == nil:
	case p.Standard:
		k = "std"
	case p.Module != nil && p.Module.Version != "" && (p.Module.Replace == nil || p.Module.Replace.Version != ""):
		k = p.Module.Path + "@" + p.Module.Version
		if p.Module.Replace != nil {
			k += "=>" + p.Module.Replace.Path + "@" + p.Module.Replace.Version
		}
	default:
		h := sha256.New()
		for _, f := range an.pkg(p).Files {
			if b, err := os.ReadFile(f); err == nil {
				fmt.Fprintf(h, "%s %x\n", f, sha256.Sum256(b))
			}
		}
		k = fmt.Sprintf("%x", h.Sum(nil))
	}
	an.extKey[id] = k
	return k
}

// exportData lists the export data of the packages outside the rewrite
// that the packages to analyse import.
func (an *analysis) exportData(nodes []*listed, need, rewritten map[string]bool) error {
	set := map[string]bool{}
	for _, p := range nodes {
		if !need[p.ImportPath] {
			continue
		}
		for _, imp := range p.Imports {
			if !rewritten[imp] && imp != "C" && imp != "unsafe" {
				set[imp] = true
			}
		}
	}
	exports := map[string]string{}
	if len(set) > 0 {
		args := append([]string{"-export"}, an.s.modArgs...)
		args = append(args, an.s.args.build...)
		for id := range set {
			args = append(args, id)
		}
		sort.Strings(args[1+len(an.s.modArgs)+len(an.s.args.build):])
		pkgs, err := goList(an.s.ctx, an.s.dir, an.s.goEnv, an.s.stderr, args...)
		if err != nil {
			return err
		}
		for _, p := range pkgs {
			if p.Export != "" {
				exports[p.ImportPath] = p.Export
			}
		}
	}
	an.gc = importer.ForCompiler(an.fset, "gc", func(path string) (io.ReadCloser, error) {
		if e, ok := exports[path]; ok {
			return os.Open(e)
		}
		return nil, fmt.Errorf("no export data for %s", path)
	})
	return nil
}

func (an *analysis) importer(rewritten map[string]bool) rewrite.Importer {
	return func(id string) (*types.Package, error) {
		if rewritten[id] {
			if tp := an.types[id]; tp != nil {
				return tp, nil
			}
			return nil, fmt.Errorf("%s was not analysed", id)
		}
		return an.gc.Import(id)
	}
}
