package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
)

func TestEdgesProfile(t *testing.T) {
	m := goldenMerged(t)
	var buf bytes.Buffer
	if err := WriteEdgesProfile(&buf, m); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sample) != len(m.Graph.Edges) {
		t.Fatalf("%d samples for %d edges", len(p.Sample), len(m.Graph.Edges))
	}
	got := profileSummary(p)
	for _, want := range []string{
		"[1] lockdep inode -(EN)-> page:0 < example.com/cache.test.takeinodepage:10\n",
		"[1] lockdep page -(EN)-> lru:0 < example.com/cache.test.takepagelru:11\n",
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
	m := goldenMerged(t)
	var buf bytes.Buffer
	if err := WriteContentionProfile(&buf, m); err != nil {
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
	if got := profileSummary(p); !strings.Contains(got, "[2 0 0 0] lock_stat page (write):0 < example.com/cache.(*Cache).Get:42") {
		t.Errorf("no sample at the contention point:\n%s", got)
	}
}

func TestEmptyProfiles(t *testing.T) {
	m, err := Merge(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return WriteEdgesProfile(b, m) },
		func(b *bytes.Buffer) error { return WriteContentionProfile(b, m) },
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
