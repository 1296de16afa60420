package render

import (
	"encoding/json"
	"sort"

	"github.com/golockdep/lockdep/reports"
)

// BaselineLine is the entry of a baseline's "reports" list that accepts r,
// on one line, as "lockdepd check" prints it and the web page copies it:
//
//	{"kind":"circular","classes":["A","B"]}
//
// A cycle's classes are sorted, as reports.WriteBaseline writes them.
func BaselineLine(r *reports.MergedReport) string {
	e := reports.BaselineReport{Kind: r.Kind, Classes: append([]string{}, r.Classes...)}
	if r.Kind == "circular" {
		sort.Strings(e.Classes)
	}
	line, _ := json.Marshal(e) // strings only: cannot fail
	return string(line)
}
