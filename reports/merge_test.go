package reports

import (
	"reflect"
	"strings"
	"testing"
)

func TestMergeFindsCrossProcessCycle(t *testing.T) {
	a := testUpload(t, "a.test", 11, "A->B")
	b := testUpload(t, "b.test", 22, "B->A")
	m, err := Merge([]Received{{Upload: a}, {Upload: b}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Reports) != 1 {
		t.Fatalf("%d reports, want 1: %+v", len(m.Reports), m.Reports)
	}
	r := m.Reports[0]
	if r.Kind != "circular" || !r.CrossProcess {
		t.Errorf("report kind %q cross %v, want a cross-process cycle", r.Kind, r.CrossProcess)
	}
	want := []string{a.Identity.Source(), b.Identity.Source()}
	if !reflect.DeepEqual(r.Sources, want) {
		t.Errorf("sources %v, want %v", r.Sources, want)
	}
	links := r.Links()
	if len(links) != 2 {
		t.Fatalf("links %+v, want the two edges of the cycle", links)
	}
	for _, l := range links {
		wantSrc := a.Identity.Source()
		if l.From == "B" {
			wantSrc = b.Identity.Source()
		}
		if !reflect.DeepEqual(l.Sources, []string{wantSrc}) || len(l.Stack) != 1 {
			t.Errorf("link %s -> %s: sources %v stack %v; want [%s] and its stack", l.From, l.To, l.Sources, l.Stack, wantSrc)
		}
	}
	for _, s := range want {
		if !strings.Contains(r.Text, s) {
			t.Errorf("report text does not name %s:\n%s", s, r.Text)
		}
	}
}

func TestMergeNoCycleInOneDirection(t *testing.T) {
	a := testUpload(t, "a.test", 11, "A->B")
	b := testUpload(t, "b.test", 22, "A->B", "B->C")
	m, err := Merge([]Received{{Upload: a}, {Upload: b}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Reports) != 0 {
		t.Fatalf("reports %+v, want none", m.Reports)
	}
	if len(m.Graph.Edges) != 2 || len(m.Graph.Edges[0].Sources) != 2 {
		t.Errorf("edges %+v; want A->B from both and B->C", m.Graph.Edges)
	}
}

// TestMergeDeterministic merges the same uploads in every order.
func TestMergeDeterministic(t *testing.T) {
	us := []*Upload{
		testUpload(t, "a.test", 11, "A->B", "C->D"),
		testUpload(t, "b.test", 22, "B->C"),
		testUpload(t, "c.test", 33, "D->A", "C->A"),
	}
	var first string
	perms := [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for _, p := range perms {
		var in []Received
		for _, i := range p {
			in = append(in, Received{Upload: us[i]})
		}
		m, err := Merge(in)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		WriteJSON(&b, m)
		if first == "" {
			first = b.String()
			if !strings.Contains(first, "circular") {
				t.Fatalf("no cycle found:\n%s", first)
			}
		} else if b.String() != first {
			t.Fatalf("order %v gives a different result", p)
		}
	}
}

func TestMergeOwnReports(t *testing.T) {
	a := testUpload(t, "a.test", 11)
	a.Classes = []Class{{Name: "X"}}
	a.Reports = []Report{{Kind: "recursive", Classes: []string{"X"}, Text: "recursive X"}}
	b := testUpload(t, "b.test", 22)
	b.Classes = []Class{{Name: "X"}}
	b.Reports = a.Reports
	m, err := Merge([]Received{{Upload: a}, {Upload: b}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Reports) != 1 || m.Reports[0].CrossProcess || len(m.Reports[0].Sources) != 2 {
		t.Fatalf("reports %+v; want one recursive report from both processes", m.Reports)
	}
}

func TestMergeLockStats(t *testing.T) {
	p1 := Point{Frame: Frame{Function: "f", File: "f.go", Line: 1}, Count: 3}
	p2 := Point{Frame: Frame{Function: "g", File: "g.go", Line: 2}, Count: 5}
	a := testUpload(t, "a.test", 11, "A->B")
	a.LockStats = []LockStat{{Class: "A", Contentions: 3, Acquisitions: 10, WaitMinNS: 10, WaitMaxNS: 30, WaitTotalNS: 60,
		HoldMinNS: 1, HoldMaxNS: 9, HoldTotalNS: 50, Points: []Point{p1}}}
	b := testUpload(t, "b.test", 22, "A->B")
	b.LockStats = []LockStat{{Class: "A", Contentions: 5, Acquisitions: 5, WaitMinNS: 5, WaitMaxNS: 20, WaitTotalNS: 70,
		HoldMinNS: 2, HoldMaxNS: 20, HoldTotalNS: 40, Points: []Point{p2, {Frame: p1.Frame, Count: 1}}},
		{Class: "A", Read: true, Acquisitions: 4, HoldMinNS: 1, HoldMaxNS: 1, HoldTotalNS: 4}}
	m, err := Merge([]Received{{Upload: a}, {Upload: b}})
	if err != nil {
		t.Fatal(err)
	}
	want := []LockStat{
		{Class: "A", Contentions: 8, Acquisitions: 15, WaitMinNS: 5, WaitMaxNS: 30, WaitTotalNS: 130,
			HoldMinNS: 1, HoldMaxNS: 20, HoldTotalNS: 90, Points: []Point{p2, {Frame: p1.Frame, Count: 4}}},
		{Class: "A", Read: true, Acquisitions: 4, HoldMinNS: 1, HoldMaxNS: 1, HoldTotalNS: 4},
	}
	if !reflect.DeepEqual(m.LockStats, want) {
		t.Errorf("merged lock_stat\n got %+v\nwant %+v", m.LockStats, want)
	}
}

// A wait in one test binary and a completion in another: the merged graph
// has a cycle through an event, reported as wait-circular.
func TestMergeFindsCrossProcessWaitCycle(t *testing.T) {
	a := testUpload(t, "a.test", 11, "srv.mu->srv.results (received)")
	b := testUpload(t, "b.test", 22, "srv.results (received)->srv.mu")
	m, err := Merge([]Received{{Upload: a}, {Upload: b}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Reports) != 1 {
		t.Fatalf("%d reports, want 1: %+v", len(m.Reports), m.Reports)
	}
	r := m.Reports[0]
	if r.Kind != "wait-circular" || !r.CrossProcess {
		t.Errorf("report kind %q cross %v, want a cross-process wait-circular", r.Kind, r.CrossProcess)
	}
	if !strings.Contains(r.Text, "possible deadlock through a wait") || !strings.Contains(r.Text, "waits for srv.results (received)") {
		t.Errorf("report text:\n%s", r.Text)
	}
}
