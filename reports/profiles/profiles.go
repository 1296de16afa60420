// Package profiles writes a merged lock graph as pprof profiles, for
// "go tool pprof". It is kept apart from package reports so that test
// binaries, which link reports through lockdeptest, do not link pprof.
package profiles

import (
	"fmt"
	"io"
	"strings"

	"github.com/google/pprof/profile"

	"github.com/golockdep/lockdep/reports"
)

// Profiles in pprof format, for "go tool pprof". Each sample's leaf is a
// synthetic frame naming the dependency or class ("lockdep A -> B"), so
// that -top and -tree group by it; the frames above it are the stack that
// created the dependency or the contention point.

// profileBuilder interns functions and locations.
type profileBuilder struct {
	p     *profile.Profile
	funcs map[[2]string]*profile.Function
	locs  map[reports.Frame]*profile.Location
}

func newProfileBuilder(types ...*profile.ValueType) *profileBuilder {
	return &profileBuilder{
		p:     &profile.Profile{SampleType: types, PeriodType: types[0], Period: 1},
		funcs: map[[2]string]*profile.Function{},
		locs:  map[reports.Frame]*profile.Location{},
	}
}

func (b *profileBuilder) loc(f reports.Frame) *profile.Location {
	if l := b.locs[f]; l != nil {
		return l
	}
	fk := [2]string{f.Function, f.File}
	fn := b.funcs[fk]
	if fn == nil {
		fn = &profile.Function{ID: uint64(len(b.p.Function) + 1), Name: f.Function, SystemName: f.Function, Filename: f.File}
		b.funcs[fk] = fn
		b.p.Function = append(b.p.Function, fn)
	}
	l := &profile.Location{ID: uint64(len(b.p.Location) + 1), Line: []profile.Line{{Function: fn, Line: int64(f.Line)}}}
	b.locs[f] = l
	b.p.Location = append(b.p.Location, l)
	return l
}

func (b *profileBuilder) sample(leaf string, stack []reports.Frame, labels map[string][]string, values ...int64) {
	s := &profile.Sample{Value: values, Label: labels, Location: []*profile.Location{b.loc(reports.Frame{Function: leaf})}}
	for _, f := range stack {
		s.Location = append(s.Location, b.loc(f))
	}
	b.p.Sample = append(b.p.Sample, s)
}

func (b *profileBuilder) write(w io.Writer) error {
	if err := b.p.CheckValid(); err != nil {
		return fmt.Errorf("reports: building profile: %w", err)
	}
	return b.p.Write(w)
}

// WriteEdges writes a gzipped pprof profile with one sample per
// dependency of the merged graph, valued by how many times the processes
// that recorded it saw it (their counts added up by lockdep.Merger),
// located at the stack that first created it, and labelled with
// its classes, types and the processes that recorded it.
func WriteEdges(w io.Writer, m *reports.Merged) error {
	b := newProfileBuilder(&profile.ValueType{Type: "dependencies", Unit: "count"})
	for _, e := range m.Graph.Edges {
		labels := map[string][]string{"from": {e.From}, "to": {e.To}, "types": {e.Types}}
		if len(e.Sources) > 0 {
			labels["sources"] = e.Sources
		}
		n := int64(e.Count)
		if n <= 0 {
			n = 1
		}
		var stack []reports.Frame
		for _, f := range e.Stack {
			stack = append(stack, reports.Frame(f))
		}
		b.sample(fmt.Sprintf("lockdep %s %s %s", e.From, e.Types, e.To), stack, labels, n)
	}
	return b.write(w)
}

// WriteContention writes a gzipped pprof profile of the contention
// statistics: one sample per class and side with its contentions, wait
// time, acquisitions and hold time, then one per contention point (with
// its count and the other values zero), located at the point.
func WriteContention(w io.Writer, m *reports.Merged) error {
	b := newProfileBuilder(
		&profile.ValueType{Type: "contentions", Unit: "count"},
		&profile.ValueType{Type: "wait", Unit: "nanoseconds"},
		&profile.ValueType{Type: "acquisitions", Unit: "count"},
		&profile.ValueType{Type: "hold", Unit: "nanoseconds"},
	)
	for _, s := range m.LockStats {
		side := "write"
		if s.Read {
			side = "read"
		}
		labels := map[string][]string{"class": {s.Class}, "side": {side}}
		leaf := fmt.Sprintf("lock_stat %s (%s)", s.Class, side)
		var points uint64
		for _, p := range s.Points {
			points += p.Count
			b.sample(leaf, []reports.Frame{p.Frame}, labels, int64(p.Count), 0, 0, 0)
		}
		rest := int64(s.Contentions) - int64(points)
		b.sample(leaf, nil, labels, max(rest, 0), s.WaitTotalNS, int64(s.Acquisitions), s.HoldTotalNS)
	}
	return b.write(w)
}

// Summary describes a profile in one line per sample, leaf first, for
// tests and debugging.
func Summary(p *profile.Profile) string {
	var b strings.Builder
	for _, s := range p.Sample {
		var fs []string
		for _, l := range s.Location {
			for _, ln := range l.Line {
				fs = append(fs, fmt.Sprintf("%s:%d", ln.Function.Name, ln.Line))
			}
		}
		fmt.Fprintf(&b, "%v %s\n", s.Value, strings.Join(fs, " < "))
	}
	return b.String()
}
