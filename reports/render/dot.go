package render

import (
	"fmt"
	"github.com/golockdep/lockdep/reports"
	"io"
	"strconv"
	"strings"
)

// WriteDOT writes the merged class graph for Graphviz. Classes and
// dependencies that take part in a reported cycle are drawn red and bold;
// a cycle's closing dependency, which the validator refuses to add to the
// graph, is drawn dashed.
func WriteDOT(w io.Writer, m *reports.Merged) error {
	e := &errWriter{w: w}
	hotNodes := map[string]bool{}
	hotEdges := map[[2]string]bool{}
	closing := map[[2]string]reports.Link{}
	for _, r := range m.Reports {
		for _, l := range r.Chain {
			hotEdges[[2]string{l.From, l.To}] = true
			hotNodes[l.From], hotNodes[l.To] = true, true
		}
		if r.New != nil {
			k := [2]string{r.New.From, r.New.To}
			hotNodes[k[0]], hotNodes[k[1]] = true, true
			closing[k] = *r.New
		}
	}
	e.printf("digraph lockdep {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"monospace\"];\n\tedge [fontname=\"monospace\", fontsize=10];\n")
	for _, c := range m.Graph.Classes {
		attr := ""
		if hotNodes[c.Name] {
			attr = " [color=red, penwidth=2]"
		}
		e.printf("\t%s%s;\n", strconv.Quote(c.Name), attr)
	}
	for _, d := range m.Graph.Edges {
		k := [2]string{d.From, d.To}
		attr := fmt.Sprintf("label=%s, tooltip=%s", strconv.Quote(d.Types), strconv.Quote(strings.Join(d.Sources, ", ")))
		if hotEdges[k] {
			attr += ", color=red, penwidth=2"
		}
		e.printf("\t%s -> %s [%s];\n", strconv.Quote(d.From), strconv.Quote(d.To), attr)
		delete(closing, k)
	}
	for _, k := range sortedPairs(closing) {
		l := closing[k]
		e.printf("\t%s -> %s [label=%s, tooltip=%s, color=red, penwidth=2, style=dashed];\n",
			strconv.Quote(l.From), strconv.Quote(l.To), strconv.Quote(l.Types+" closes the cycle"), strconv.Quote(strings.Join(l.Sources, ", ")))
	}
	e.printf("}\n")
	return e.err
}

func sortedPairs(m map[[2]string]reports.Link) [][2]string {
	ks := make([][2]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && (ks[j][0] < ks[j-1][0] || ks[j][0] == ks[j-1][0] && ks[j][1] < ks[j-1][1]); j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}
