package render

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/golockdep/lockdep/reports"
	"github.com/golockdep/lockdep/reports/profiles"
)

// renderers are every view of a merged graph the daemon serves.
var renderers = map[string]func(io.Writer, *reports.Merged) error{
	"html": WriteHTML, "text": WriteText,
	"page with source links": func(w io.Writer, m *reports.Merged) error {
		return WritePage(w, m, PageOptions{SourceURL: "https://example.com/r/{path}#L{line}", SourceTrim: "/src/"})
	}, "lockdep": WriteLockdep, "chains": WriteChains,
	"stats": WriteStats, "lock_stat": WriteLockStat, "dot": WriteDOT, "json": reports.WriteJSON,
	"edges.pb": profiles.WriteEdges, "contention.pb": profiles.WriteContention,
	"baseline": func(w io.Writer, m *reports.Merged) error { return reports.WriteBaseline(w, reports.BaselineOf(m)) },
}

// FuzzDecodeMergeRender: whatever the decoder accepts merges (alone and
// with a fixed upload) and renders in every view without a panic.
func FuzzDecodeMergeRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/upload-*.json")
	var fixed *reports.Upload
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		if fixed == nil {
			if fixed, err = reports.DecodeBytes(b, reports.Limits{}); err != nil {
				f.Fatal(err)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := reports.DecodeBytes(data, reports.Limits{MaxBytes: 1 << 20})
		if err != nil {
			return
		}
		for _, in := range [][]reports.Received{{{Upload: u}}, {{Upload: fixed}, {Upload: u}}} {
			m, err := reports.Merge(in)
			if err != nil {
				t.Fatal(err)
			}
			for name, write := range renderers {
				if err := write(io.Discard, m); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
		}
	})
}
