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
}

// views are the read-only pages, by path.
var views = map[string]view{
	"/{$}":                      {"text/html; charset=utf-8", render.WriteHTML},
	"/api/v1/reports":           {"application/json", reports.WriteJSON},
	"/reports.txt":              {"text/plain; charset=utf-8", render.WriteText},
	"/lockdep":                  {"text/plain; charset=utf-8", render.WriteLockdep},
	"/lockdep_chains":           {"text/plain; charset=utf-8", render.WriteChains},
	"/lockdep_stats":            {"text/plain; charset=utf-8", render.WriteStats},
	"/lock_stat":                {"text/plain; charset=utf-8", render.WriteLockStat},
	"/graph.dot":                {"text/vnd.graphviz; charset=utf-8", render.WriteDOT},
	"/baseline.json":            {"application/json", writeBaseline},
	"/profile/edges.pb.gz":      {"application/octet-stream", profiles.WriteEdges},
	"/profile/contention.pb.gz": {"application/octet-stream", profiles.WriteContention},
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
		w.Header().Set("Content-Type", v.contentType)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		bw := bufio.NewWriterSize(ctxWriter{ctx, w}, 64<<10)
		if err = v.write(bw, m); err == nil {
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
