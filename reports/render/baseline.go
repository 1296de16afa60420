package render

import (
	"encoding/json"

	"github.com/golockdep/lockdep/reports"
)

// BaselineLine is the entry of a baseline's "reports" list that accepts r,
// on one line, as "lockdepd check" prints it and the web page copies it:
//
//	{"kind":"circular","classes":["A","B"]}
//
// A cycle's classes are sorted, as reports.WriteBaseline writes them.
func BaselineLine(r *reports.MergedReport) string {
	e := reports.BaselineReport{Kind: r.Kind, Classes: reports.CanonicalClasses(r.Kind, r.Classes)}
	line, _ := json.Marshal(e) // strings only: cannot fail
	return string(line)
}
