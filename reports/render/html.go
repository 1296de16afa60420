package render

import (
	"github.com/golockdep/lockdep/reports"
	"html/template"
	"io"
	"strings"
)

// pageData is what WriteHTML renders.
type pageData struct {
	Runs    []reports.Run
	Reports []pageReport
	Graph   int
	Edges   int
}

type pageReport struct {
	*reports.MergedReport
	N       int
	SVG     template.HTML // built by CycleSVG, which escapes every name
	Stacks  []reports.Link
	Sources string
}

// WriteHTML writes the web page lockdepd serves at /: the runs received,
// then each report with its cycle drawn as SVG and its stacks and full
// text one click away.
func WriteHTML(w io.Writer, m *reports.Merged) error {
	d := pageData{Runs: m.Runs, Graph: len(m.Graph.Classes), Edges: len(m.Graph.Edges)}
	for i := range m.Reports {
		r := &m.Reports[i]
		d.Reports = append(d.Reports, pageReport{MergedReport: r, N: i + 1, SVG: template.HTML(CycleSVG(r)), Stacks: r.Links(), Sources: strings.Join(r.Sources, "; ")})
	}
	return pageTmpl.Execute(w, d)
}

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"short": ShortFile,
	"join":  strings.Join,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lockdepd: {{len .Reports}} report(s) from {{len .Runs}} run(s)</title>
<style>
body { font-family: sans-serif; margin: 2em; max-width: 70em; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; }
.report { border: 1px solid #c00; border-radius: 6px; padding: 0.5em 1em; margin: 1em 0; }
.kind { font-weight: bold; color: #c00; }
nav a { margin-right: 1em; }
</style>
</head>
<body>
<h1>lockdepd</h1>
<nav>
<a href="/api/v1/reports">reports (JSON)</a><a href="/lockdep">/lockdep</a><a href="/lockdep_chains">/lockdep_chains</a><a href="/lockdep_stats">/lockdep_stats</a><a href="/lock_stat">/lock_stat</a><a href="/graph.dot">graph.dot</a><a href="/profile/edges.pb.gz">edges profile</a><a href="/profile/contention.pb.gz">contention profile</a>
</nav>
<h2 id="runs">Runs received: {{len .Runs}}</h2>
<p>Merged graph: {{.Graph}} classes, {{.Edges}} dependencies (a dependency that would close a cycle is not added; it is shown with its report).</p>
{{if .Runs}}<table>
<tr><th>binary</th><th>package</th><th>host</th><th>pid</th><th>started</th><th>received</th><th>classes</th><th>edges</th><th>reports</th></tr>
{{range .Runs}}<tr><td>{{.Identity.Binary}}</td><td>{{.Identity.Package}}</td><td>{{.Identity.Host}}</td><td>{{.Identity.PID}}</td><td>{{.Identity.Start.Format "2006-01-02 15:04:05Z07:00"}}</td><td>{{if not .Received.IsZero}}{{.Received.Format "2006-01-02 15:04:05Z07:00"}}{{end}}</td><td>{{.Classes}}</td><td>{{.Edges}}</td><td>{{.Reports}}</td></tr>
{{if .Trimmed}}<tr><td colspan="9">↳ {{.Trimmed}}</td></tr>
{{end}}{{end}}</table>{{end}}
<h2 id="reports">Reports: {{len .Reports}}</h2>
{{if not .Reports}}<p>No problems found.</p>{{end}}
{{range .Reports}}<div class="report" id="report-{{.N}}">
<h3><span class="kind">{{.Kind}}</span>{{if .CrossProcess}} across processes{{end}}: {{join .Classes ", "}}</h3>
<p>From: {{.Sources}}</p>
{{if .Message}}<p>{{.Message}}</p>{{end}}
{{.SVG}}
{{if .Stacks}}<h4>Dependencies</h4>
{{range .Stacks}}<details class="stack"><summary>{{.From}} {{.Types}} {{.To}}{{if .Sources}} from {{join .Sources ", "}}{{end}}</summary>
<pre>{{range .Stack}}{{.Function}}
    {{.File}}:{{.Line}}
{{else}}(no stack recorded)
{{end}}</pre></details>
{{end}}{{end}}
<details class="text"><summary>full report</summary><pre>{{.Text}}</pre></details>
</div>
{{end}}
</body>
</html>
`))
