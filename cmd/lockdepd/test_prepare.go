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
	"strings"
	"time"

	"github.com/golockdep/lockdep/cmd/lockdepd/internal/rewrite"
	"github.com/golockdep/lockdep/cmd/lockdepd/internal/srcmod"
)

// prepared is the outcome of the rewrite step.
type prepared struct {
	plan     *rewrite.Plan
	overlay  string
	packages int // packages rewritten
	files    int // files rewritten or added
	took     time.Duration
	analysed int // packages and test variants analysed
	cached   int // of which the analysis came from the cache
}

// prepare lists the packages, analyses those of the module (with -deps,
// of every non-standard module), plans the rewrite and writes the overlay.
func (s *session) prepare() (*prepared, error) {
	user, err := s.readUserOverlay()
	if err != nil {
		return nil, err
	}
	listArgs := append([]string{"-deps", "-test"}, s.modArgs...)
	if s.args.overlay != "" {
		listArgs = append(listArgs, "-overlay="+s.abs(s.args.overlay))
	}
	listArgs = append(listArgs, s.args.build...)
	listArgs = append(listArgs, s.args.pkgs...)
	pkgs, err := goList(s.ctx, s.dir, s.goEnv, s.stderr, listArgs...)
	if err != nil {
		return nil, err
	}
	support := map[string]bool{}
	if files, err := srcmod.Files(); err == nil {
		for _, f := range files {
			if d := filepath.Dir(f.Name); d != "." {
				support[srcmod.ModulePath+"/"+filepath.ToSlash(d)] = true
			}
		}
	}
	byID := map[string]*listed{}
	tested := map[string]bool{}
	for _, p := range pkgs {
		byID[p.ImportPath] = p
		if !p.DepOnly && p.ForTest == "" && !p.Standard && !p.isTestMain() {
			tested[p.ImportPath] = true
		}
	}
	rewritten := func(p *listed) bool {
		if p.Standard || p.Module == nil || p.isTestMain() || support[p.base()] ||
			strings.HasPrefix(p.base(), "github.com/petermattis/goid") {
			return false
		}
		return p.Module.Main || s.args.deps || tested[p.base()] || tested[p.ForTest]
	}
	var nodes []*listed
	labels := map[string]string{}
	count := map[string]int{}
	for _, p := range pkgs {
		if p.Error != nil && len(p.GoFiles) == 0 {
			continue // go test reports it
		}
		if rewritten(p) {
			nodes = append(nodes, p)
			if _, ok := labels[p.base()]; !ok {
				labels[p.base()] = label(p.base())
				count[label(p.base())]++
			}
		}
	}
	for b, l := range labels {
		if count[l] > 1 {
			labels[b] = b // two packages with one last element: the whole path
		}
	}
	an := &analysis{s: s, byID: byID, labels: labels, src: source(user), files: map[string][]byte{},
		keys: map[string]string{}, types: map[string]*types.Package{}, fset: token.NewFileSet()}
	all, err := an.run(nodes)
	if err != nil {
		return nil, err
	}
	var testedPkgs []rewrite.Tested
	for _, p := range pkgs {
		if !tested[p.ImportPath] || !rewritten(p) || len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
			continue
		}
		t := rewrite.Tested{Path: p.ImportPath, Dir: p.Dir, Name: p.Name}
		if v := byID[p.ImportPath+" ["+p.ImportPath+".test]"]; v != nil && an.ok[v.ImportPath] {
			t.Internal = v.ImportPath
		}
		if x := byID[p.ImportPath+"_test ["+p.ImportPath+".test]"]; x != nil && an.ok[x.ImportPath] {
			t.External, t.XName = x.ImportPath, x.Name
		}
		if t.Internal == "" && t.External == "" {
			continue
		}
		testedPkgs = append(testedPkgs, t)
	}
	exists := func(p string) bool {
		if _, ok := user[p]; ok {
			return true
		}
		_, err := os.Stat(p)
		return err == nil
	}
	plan := rewrite.Decide(all, testedPkgs, exists)
	out := map[string][]byte{}
	for _, f := range plan.Files() {
		src, ok := an.files[f]
		if !ok {
			continue
		}
		b, err := plan.Render(f, src)
		if err != nil {
			return nil, err
		}
		out[f] = b
	}
	for f, b := range plan.Generated {
		out[f] = b
	}
	for f, b := range s.uploadStub(pkgs) {
		out[f] = b
	}
	if err := s.depCopies(out, nodes); err != nil {
		return nil, err
	}
	overlay, err := s.writeOverlay(user, out)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, p := range nodes {
		if p.ForTest == "" {
			n++
		}
	}
	return &prepared{plan: plan, overlay: overlay, packages: n, files: len(out), cached: an.hits, analysed: len(nodes)}, nil
}

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
