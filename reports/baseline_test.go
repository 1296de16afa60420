package reports

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestBaselineCheck(t *testing.T) {
	m := goldenMerged(t)
	b := BaselineOf(m)
	// Each process alone passes against the merged baseline, including the
	// one whose edge closes the cross-process cycle.
	for _, u := range []*Upload{
		testUpload(t, "cache.test", 101, "inode->page", "page->lru"),
		testUpload(t, "fsimpl.test", 202, "lru->inode"),
	} {
		if u.Identity.Binary == "fsimpl.test" {
			u.Edges[0].Types = "-(SN)->"
		}
		if e, r := b.Check(u); len(e)+len(r) > 0 {
			t.Errorf("%s: new edges %v, reports %v; want none", u.Identity.Binary, e, r)
		}
	}
	u := testUpload(t, "new.test", 9, "inode->page", "y->x")
	u.Edges[0].Types = "-(EN,SR)->" // a new type of a known edge
	u.Reports = []Report{{Kind: "circular", Classes: []string{"y", "x"}}, {Kind: "recursive", Classes: []string{"x"}}}
	e, r := b.Check(u)
	if len(e) != 2 || len(r) != 1 || r[0].Kind != "circular" {
		t.Errorf("new edges %v, reports %v; want both edges and the cycle", e, r)
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	b := BaselineOf(goldenMerged(t))
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, b); err != nil {
		t.Fatal(err)
	}
	got, err := ReadBaseline(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, b)
	}
	c := NewBaseline()
	c.Union(b)
	c.Union(b)
	if !reflect.DeepEqual(c, b) {
		t.Errorf("union with itself changed it")
	}
}

func TestReadBaselineRejects(t *testing.T) {
	for _, tc := range []struct {
		body string
		want error
	}{
		{`{"baseline":1,"edges":[],"reports":[],"x":1}`, ErrMalformed},
		{`{"baseline":2,"edges":[],"reports":[]}`, ErrVersion},
		{`{"baseline":1,"edges":[{"from":"a","to":"b","types":"EN"}],"reports":[]}`, ErrInvalid},
		{`{"baseline":1,"edges":[],"reports":[{"kind":"nope","classes":[]}]}`, ErrInvalid},
		{`{"baseline":1} {}`, ErrMalformed},
	} {
		if _, err := ReadBaseline(strings.NewReader(tc.body)); !errors.Is(err, tc.want) {
			t.Errorf("ReadBaseline(%s): %v, want %v", tc.body, err, tc.want)
		}
	}
}
