package profiles

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/golockdep/lockdep/reports"
)

func TestEdgesProfile(t *testing.T) {
	m := fixture(t)
	var buf bytes.Buffer
	if err := WriteEdges(&buf, m); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sample) != len(m.Graph.Edges) {
		t.Fatalf("%d samples for %d edges", len(p.Sample), len(m.Graph.Edges))
	}
	got := Summary(p)
	for _, want := range []string{
		"[4] lockdep inode -(EN)-> page:0 < example.com/cache.test.takeinodepage:10\n",
		"[2] lockdep page -(EN)-> lru:0 < example.com/cache.test.takepagelru:11\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("profile lacks %q:\n%s", want, got)
		}
	}
	if s := p.Sample[0]; s.Label["sources"][0] != "cache.test pid 101 on ci-1" || s.Label["from"][0] != "inode" {
		t.Errorf("labels %v", s.Label)
	}
	if fn := p.Sample[0].Location[1].Line[0].Function; fn.Filename != "/src/cache.test/cache.test.go" {
		t.Errorf("file %q", fn.Filename)
	}
}

func TestContentionProfile(t *testing.T) {
	m := fixture(t)
	var buf bytes.Buffer
	if err := WriteContention(&buf, m); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.SampleType) != 4 || p.SampleType[1].Type != "wait" || p.SampleType[1].Unit != "nanoseconds" {
		t.Fatalf("sample types %v", p.SampleType)
	}
	var contentions, wait, acq int64
	for _, s := range p.Sample {
		contentions += s.Value[0]
		wait += s.Value[1]
		acq += s.Value[2]
	}
	if contentions != 2 || wait != 10500 || acq != 47 {
		t.Errorf("totals: %d contentions, %d ns wait, %d acquisitions; want 2, 10500, 47", contentions, wait, acq)
	}
	if got := Summary(p); !strings.Contains(got, "[2 0 0 0] lock_stat page (write):0 < example.com/cache.(*Cache).Get:42") {
		t.Errorf("no sample at the contention point:\n%s", got)
	}
}

func TestEmptyProfiles(t *testing.T) {
	m, err := reports.Merge(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return WriteEdges(b, m) },
		func(b *bytes.Buffer) error { return WriteContention(b, m) },
	} {
		var buf bytes.Buffer
		if err := w(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := profile.Parse(&buf); err != nil {
			t.Fatal(err)
		}
	}
}

// fixture merges an upload with inode -> page -> lru and contention on
// page with one with lru -> inode.
func fixture(t *testing.T) *reports.Merged {
	t.Helper()
	id := func(bin string, pid int) reports.Identity {
		return reports.Identity{Binary: bin, Host: "ci-1", PID: pid, Start: time.Unix(int64(pid), 0).UTC()}
	}
	frame := func(bin, fn string, line int) []reports.Frame {
		return []reports.Frame{{Function: "example.com/" + bin + "." + fn, File: "/src/" + bin + "/" + bin + ".go", Line: line}}
	}
	a := &reports.Upload{Schema: reports.SchemaVersion, Identity: id("cache.test", 101),
		Classes: []reports.Class{{Name: "inode"}, {Name: "page"}, {Name: "lru"}},
		Edges: []reports.Edge{
			{From: "inode", To: "page", Types: "-(EN)->", Count: 4, Stack: frame("cache.test", "takeinodepage", 10)},
			{From: "page", To: "lru", Types: "-(EN)->", Count: 2, Stack: frame("cache.test", "takepagelru", 11)},
		},
		LockStats: []reports.LockStat{{Class: "page", Contentions: 2, Acquisitions: 40, WaitMinNS: 1500, WaitMaxNS: 9000, WaitTotalNS: 10500,
			HoldMinNS: 100, HoldMaxNS: 20000, HoldTotalNS: 80000,
			Points: []reports.Point{{Frame: reports.Frame{Function: "example.com/cache.(*Cache).Get", File: "/src/cache/cache.go", Line: 42}, Count: 2}}},
			{Class: "page", Read: true, Acquisitions: 7, HoldMinNS: 50, HoldMaxNS: 70, HoldTotalNS: 420}}}
	b := &reports.Upload{Schema: reports.SchemaVersion, Identity: id("fsimpl.test", 202),
		Classes: []reports.Class{{Name: "lru"}, {Name: "inode"}, {Name: "x"}, {Name: "y"}},
		Edges: []reports.Edge{{From: "lru", To: "inode", Types: "-(SN)->", Count: 1, Stack: frame("fsimpl.test", "takelruinode", 10)},
			{From: "x", To: "y", Types: "-(EN)->", Count: 1, Stack: frame("fsimpl.test", "takexy", 12)}}}
	for _, u := range []*reports.Upload{a, b} {
		if err := u.Validate(reports.Limits{}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := reports.Merge([]reports.Received{{Upload: a}, {Upload: b}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
