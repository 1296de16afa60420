package reports

import (
	"encoding/json"
	"io"
)

// ReportsJSON is the document GET /api/v1/reports serves and
// "lockdepd report -format json" writes.
type ReportsJSON struct {
	Schema  int            `json:"schema"` // SchemaVersion
	Runs    []Run          `json:"runs"`
	Reports []MergedReport `json:"reports"`
	// Problems lists edges the merged graph could not take.
	Problems []string `json:"problems,omitempty"`
}

// WriteJSON writes the merged reports as indented JSON.
func WriteJSON(w io.Writer, m *Merged) error {
	doc := ReportsJSON{Schema: SchemaVersion, Runs: m.Runs, Reports: m.Reports, Problems: m.Problems}
	if doc.Runs == nil {
		doc.Runs = []Run{}
	}
	if doc.Reports == nil {
		doc.Reports = []MergedReport{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
