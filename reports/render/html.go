package render

import (
	_ "embed"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/golockdep/lockdep/reports"
)

// pageData is what WritePage renders.
type pageData struct {
	Runs     []reports.Run
	Reports  []pageReport
	Graph    int
	Edges    int
	Kinds    []string // for the filters
	Packages []string
	Binaries []string
}

// pageReport is one report as the page shows it.
type pageReport struct {
	*reports.MergedReport
	N        int
	SVG      template.HTML // built by CycleSVG, which escapes every name
	Deps     []pageDep
	Runs     []string // the processes that contributed, as source names
	Binaries []string
	Tests    []string // "TestPost (ledger.test)"
	Packages []string // of the binaries and of the classes
	Baseline string   // the baseline line that accepts it
}

// pageDep is one dependency of a report with where it was recorded.
type pageDep struct {
	reports.Link
	Binaries string
	Test     string
	Frames   []pageFrame
}

type pageFrame struct {
	reports.Frame
	URL string // the source link, if -source-url is set
}

// WriteHTML writes the web page with the default options; see WritePage.
func WriteHTML(w io.Writer, m *reports.Merged) error { return WritePage(w, m, PageOptions{}) }

// WritePage writes the web page lockdepd serves at /: a legend of the
// dependency labels, filters by kind, package and test binary, the runs
// received, then each report with its test binaries and tests, its cycle
// drawn as SVG, its baseline line to copy, and its stacks (linked to
// source with o.SourceURL) and full text one click away.
func WritePage(w io.Writer, m *reports.Merged, o PageOptions) error {
	d := pageData{Runs: m.Runs, Graph: len(m.Graph.Classes), Edges: len(m.Graph.Edges)}
	ix := indexRuns(m.Runs)
	var kinds, pkgs, bins []string
	for i := range m.Reports {
		p := buildReport(&m.Reports[i], i+1, ix, o)
		kinds = addOnce(kinds, p.Kind)
		pkgs = append(pkgs, p.Packages...)
		bins = append(bins, p.Binaries...)
		d.Reports = append(d.Reports, p)
	}
	d.Kinds, d.Packages, d.Binaries = sortedSet(kinds), sortedSet(pkgs), sortedSet(bins)
	return pageTmpl.Execute(w, d)
}

func buildReport(r *reports.MergedReport, n int, ix runIndex, o PageOptions) pageReport {
	p := pageReport{MergedReport: r, N: n, SVG: template.HTML(CycleSVG(r)), Runs: r.Sources, Baseline: BaselineLine(r)}
	var pkgs []string
	for _, s := range r.Sources {
		p.Binaries = addOnce(p.Binaries, ix.binary(s))
		if id, ok := ix[s]; ok && id.Package != "" {
			pkgs = append(pkgs, id.Package)
		}
	}
	for _, c := range r.Classes {
		if pk := classPackage(c); pk != "" {
			pkgs = append(pkgs, pk)
		}
	}
	for _, l := range r.Links() {
		srcs := l.Sources
		if len(srcs) == 0 {
			srcs = r.Sources // a process's own report: its links are its own
		}
		var bins []string
		for _, s := range srcs {
			bins = addOnce(bins, ix.binary(s))
		}
		dep := pageDep{Link: l, Binaries: strings.Join(bins, ", "), Test: testName(l.Stack)}
		if dep.Test != "" {
			p.Tests = addOnce(p.Tests, dep.Test+" ("+dep.Binaries+")")
		}
		for _, f := range l.Stack {
			dep.Frames = append(dep.Frames, pageFrame{Frame: f, URL: o.sourceLink(f.File, f.Line)})
		}
		p.Deps = append(p.Deps, dep)
	}
	if len(p.Tests) == 0 {
		p.Tests = testsInText(r.Text)
	}
	sort.Strings(p.Binaries)
	p.Packages = sortedSet(pkgs)
	return p
}

func sortedSet(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

//go:embed page.tmpl
var pageSource string

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"short": ShortFile,
	"join":  strings.Join,
	"lines": func(ss []string) string { return strings.Join(ss, "\n") },
}).Parse(pageSource))
