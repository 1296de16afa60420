package reports

import (
	"bytes"
	"github.com/golockdep/lockdep/internal/golden"
	"io"
	"testing"
	"time"
)

// goldenMerged is a small merged graph with a cross-process cycle, a
// process's own report and contention statistics.
func goldenMerged(t *testing.T) *Merged {
	t.Helper()
	a := testUpload(t, "cache.test", 101, "inode->page", "page->lru")
	b := testUpload(t, "fsimpl.test", 202, "lru->inode")
	b.Edges[0].Types = "-(SN)->"
	c := testUpload(t, "locks.test", 303, "x->y")
	c.Reports = []Report{{Kind: "recursive", Classes: []string{"x"}, Message: "a lock of this class is already held",
		Text: "\n=====\nWARNING: possible recursive locking detected\n"}}
	a.LockStats = []LockStat{{Class: "page", Contentions: 2, Acquisitions: 40, WaitMinNS: 1500, WaitMaxNS: 9000, WaitTotalNS: 10500,
		HoldMinNS: 100, HoldMaxNS: 20000, HoldTotalNS: 80000,
		Points: []Point{{Frame: Frame{Function: "example.com/cache.(*Cache).Get", File: "/src/cache/cache.go", Line: 42}, Count: 2}}},
		{Class: "page", Read: true, Acquisitions: 7, HoldMinNS: 50, HoldMaxNS: 70, HoldTotalNS: 420}}
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	m, err := Merge([]Received{{Upload: a, At: at}, {Upload: b, At: at.Add(time.Second)}, {Upload: c, At: at.Add(2 * time.Second)}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGolden(t *testing.T) {
	m := goldenMerged(t)
	for _, tc := range []struct {
		file  string
		write func(io.Writer, *Merged) error
	}{
		{"reports.json", WriteJSON},
		{"baseline.json", func(w io.Writer, m *Merged) error { return WriteBaseline(w, BaselineOf(m)) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.write(&buf, m); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.file, buf.Bytes())
		})
	}
}
