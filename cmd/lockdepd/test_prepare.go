package main

import (
	"go/token"
	"go/types"
	"os"
	"path/filepath"
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
	rs := &rewriteSet{support: support, tested: tested, deps: s.args.deps}
	rewritten := rs.has
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

// rewriteSet decides which of the listed packages are rewritten.
type rewriteSet struct {
	support map[string]bool // the validator's own packages: the embedded module's
	tested  map[string]bool // the packages whose tests run
	deps    bool            // -deps
}

// has reports whether p is rewritten: a package of the module (with
// -deps, of any module but the standard library), or one recompiled for
// a test that runs. The validator's own packages never are: in this
// repository, their whole test binaries (the external test package, and
// what is recompiled for it) run as plain go test runs them, since a
// validator that validated itself would report inside its own reports.
func (rs *rewriteSet) has(p *listed) bool {
	if p.Standard || p.Module == nil || p.isTestMain() || rs.support[p.base()] || rs.support[p.ForTest] ||
		strings.HasPrefix(p.base(), "github.com/petermattis/goid") {
		return false
	}
	return p.Module.Main || rs.deps || rs.tested[p.base()] || rs.tested[p.ForTest]
}
