package daemon

import (
	"bufio"
	"context"
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

// view serves a view, streamed as it is rendered; when the client goes
// (its request's context is done), the rendering stops at its next write.
func (s *Server) view(v view) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		m, err := s.Merged(ctx)
		if err != nil {
			if ctx.Err() == nil {
				httpError(w, http.StatusInternalServerError, err.Error())
			}
			return
		}
		write := v.write
		if v.page {
			write = func(w io.Writer, m *reports.Merged) error { return render.WritePage(w, m, s.cfg.Page) }
		}
		w.Header().Set("Content-Type", v.contentType)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		bw := bufio.NewWriterSize(ctxWriter{ctx, w}, 64<<10)
		if err = write(bw, m); err == nil {
			err = bw.Flush()
		}
		if err != nil && ctx.Err() == nil {
			s.log.Printf("writing %s to %s: %v", r.URL.Path, r.RemoteAddr, err)
		}
	}
}

// ctxWriter fails every write once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
