package daemon

import (
	"bytes"
	"io"
	"net/http"

	"github.com/golockdep/lockdep/reports"
	"github.com/golockdep/lockdep/reports/profiles"
	"github.com/golockdep/lockdep/reports/render"
)

// view renders the merged graph.
type view struct {
	contentType string
	write       func(io.Writer, *reports.Merged) error
	page        bool // the web page, written with Config.Page instead of write
}

// views are the read-only pages, by path.
var views = map[string]view{
	"/{$}":                      {"text/html; charset=utf-8", nil, true},
	"/api/v1/reports":           {"application/json", reports.WriteJSON, false},
	"/reports.txt":              {"text/plain; charset=utf-8", render.WriteText, false},
	"/lockdep":                  {"text/plain; charset=utf-8", render.WriteLockdep, false},
	"/lockdep_chains":           {"text/plain; charset=utf-8", render.WriteChains, false},
	"/lockdep_stats":            {"text/plain; charset=utf-8", render.WriteStats, false},
	"/lock_stat":                {"text/plain; charset=utf-8", render.WriteLockStat, false},
	"/graph.dot":                {"text/vnd.graphviz; charset=utf-8", render.WriteDOT, false},
	"/baseline.json":            {"application/json", writeBaseline, false},
	"/profile/edges.pb.gz":      {"application/octet-stream", profiles.WriteEdges, false},
	"/profile/contention.pb.gz": {"application/octet-stream", profiles.WriteContention, false},
}

func writeBaseline(w io.Writer, m *reports.Merged) error {
	return reports.WriteBaseline(w, reports.BaselineOf(m))
}

func (s *Server) view(v view) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, err := s.Merged()
		if err != nil {
			httpError(w, http.StatusInternalServerError, err.Error())
			return
		}
		write := v.write
		if v.page {
			write = func(w io.Writer, m *reports.Merged) error { return render.WritePage(w, m, s.cfg.Page) }
		}
		var buf bytes.Buffer
		if err := write(&buf, m); err != nil {
			httpError(w, http.StatusInternalServerError, err.Error())
			return
		}
		w.Header().Set("Content-Type", v.contentType)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Write(buf.Bytes())
	}
}

// Merged returns the merge of every upload held when it is called,
// recomputed only when an upload has arrived since the last merge. Uploads
// are only ever appended, so their count identifies the set.
func (s *Server) Merged() (*reports.Merged, error) {
	s.mu.Lock()
	if s.merged != nil && s.mergeN == len(s.uploads) {
		defer s.mu.Unlock()
		return s.merged, nil
	}
	in := append([]reports.Received(nil), s.uploads...)
	problems := append([]string(nil), s.problems...)
	s.mu.Unlock()

	// Merge without the lock, so that uploads are not held up.
	m, err := reports.Merge(in)
	if err != nil {
		return nil, err
	}
	m.Problems = append(problems, m.Problems...)
	s.mu.Lock()
	if len(in) >= s.mergeN {
		s.merged, s.mergeN = m, len(in)
	}
	s.mu.Unlock()
	return m, nil
}
