package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

// A Baseline is the lock orders and reports a project has accepted, kept
// in a file under version control. In lockdeptest's LOCKDEP_BASELINE mode a
// test binary fails only on a dependency or a report the baseline does not
// have, so a project can turn the validator on before its existing
// problems are fixed and still catch every new one.
//
// The file is indented JSON, sorted, so that changes to it diff well:
//
//	{"baseline": 1,
//	 "edges": [{"from": "A", "to": "B", "types": "-(EN)->"}],
//	 "reports": [{"kind": "circular", "classes": ["A", "B"]}]}
type Baseline struct {
	Version int              `json:"baseline"`
	Edges   []BaselineEdge   `json:"edges"`
	Reports []BaselineReport `json:"reports"`
}

// BaselineEdge is an accepted dependency and its types.
type BaselineEdge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Types string `json:"types"`
}

// BaselineReport is an accepted problem: its kind and classes (a cycle's
// classes sorted).
type BaselineReport struct {
	Kind    string   `json:"kind"`
	Classes []string `json:"classes"`
}

// NewBaseline returns an empty baseline.
func NewBaseline() *Baseline { return &Baseline{Version: BaselineVersion} }

// BaselineOf accepts everything in m: its edges, each reported cycle's
// dependencies (including the closing one the graph refused), and its
// reports.
func BaselineOf(m *Merged) *Baseline {
	bb := NewBaseline().builder()
	for _, e := range m.Graph.Edges {
		bb.edge(e.From, e.To, e.Types)
	}
	for _, r := range m.Reports {
		for _, l := range r.Links() {
			bb.edge(l.From, l.To, l.Types)
		}
		bb.report(r.Kind, r.Classes)
	}
	return bb.done()
}

// Add accepts everything in u.
func (b *Baseline) Add(u *Upload) {
	bb := b.builder()
	for _, e := range u.Edges {
		bb.edge(e.From, e.To, e.Types)
	}
	for _, r := range u.Reports {
		bb.report(r.Kind, r.Classes)
	}
	*b = *bb.done()
}

// Union adds o's entries to b.
func (b *Baseline) Union(o *Baseline) {
	bb := b.builder()
	for _, e := range o.Edges {
		bb.edge(e.From, e.To, e.Types)
	}
	for _, r := range o.Reports {
		bb.report(r.Kind, r.Classes)
	}
	*b = *bb.done()
}

// baselineBuilder accumulates a baseline in maps.
type baselineBuilder struct {
	edges   map[[2]string]Types
	reports map[string]BaselineReport
}

func (b *Baseline) builder() *baselineBuilder {
	bb := &baselineBuilder{edges: map[[2]string]Types{}, reports: map[string]BaselineReport{}}
	for _, e := range b.Edges {
		bb.edge(e.From, e.To, e.Types)
	}
	for _, r := range b.Reports {
		bb.report(r.Kind, r.Classes)
	}
	return bb
}

func (bb *baselineBuilder) edge(from, to, types string) {
	if t, err := ParseTypes(types); err == nil {
		bb.edges[[2]string{from, to}] |= t
	}
}

func (bb *baselineBuilder) report(kind string, classes []string) {
	cs := CanonicalClasses(kind, classes)
	bb.reports[reportKey(kind, cs)] = BaselineReport{Kind: kind, Classes: cs}
}

func (bb *baselineBuilder) done() *Baseline {
	b := NewBaseline()
	for k, t := range bb.edges {
		b.Edges = append(b.Edges, BaselineEdge{From: k[0], To: k[1], Types: t.String()})
	}
	for _, r := range bb.reports {
		b.Reports = append(b.Reports, r)
	}
	b.normalize()
	return b
}

func (b *Baseline) normalize() {
	sort.Slice(b.Edges, func(i, j int) bool {
		if b.Edges[i].From != b.Edges[j].From {
			return b.Edges[i].From < b.Edges[j].From
		}
		return b.Edges[i].To < b.Edges[j].To
	})
	sort.Slice(b.Reports, func(i, j int) bool {
		return reportKey(b.Reports[i].Kind, b.Reports[i].Classes) < reportKey(b.Reports[j].Kind, b.Reports[j].Classes)
	})
}

// Check returns u's edges and reports that b does not accept. An edge is
// accepted if b has it with at least its types.
func (b *Baseline) Check(u *Upload) (edges []Edge, reports []Report) {
	have := make(map[[2]string]Types, len(b.Edges))
	for _, e := range b.Edges {
		t, _ := ParseTypes(e.Types)
		have[[2]string{e.From, e.To}] |= t
	}
	for _, e := range u.Edges {
		t, err := ParseTypes(e.Types)
		if err != nil || !have[[2]string{e.From, e.To}].Contains(t) {
			edges = append(edges, e)
		}
	}
	keys := make(map[string]bool, len(b.Reports))
	for _, r := range b.Reports {
		keys[reportKey(r.Kind, r.Classes)] = true
	}
	for _, r := range u.Reports {
		if !keys[reportKey(r.Kind, r.Classes)] {
			reports = append(reports, r)
		}
	}
	return edges, reports
}

// WriteBaseline writes b as indented, sorted JSON.
func WriteBaseline(w io.Writer, b *Baseline) error {
	c := *b
	c.Version = BaselineVersion
	if c.Edges == nil {
		c.Edges = []BaselineEdge{}
	}
	if c.Reports == nil {
		c.Reports = []BaselineReport{}
	}
	c.normalize()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&c)
}

// ReadBaseline reads a baseline file strictly: known fields only, the
// right version, valid names and types.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxUploadBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxUploadBytes {
		return nil, fmt.Errorf("%w: baseline over %d bytes", ErrTooLarge, MaxUploadBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	b := new(Baseline)
	if err := dec.Decode(b); err != nil {
		return nil, fmt.Errorf("%w: baseline: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: baseline: data after the object", ErrMalformed)
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("%w: baseline version %d, want %d", ErrVersion, b.Version, BaselineVersion)
	}
	c := &checker{lim: DefaultLimits}
	for i, e := range b.Edges {
		at := fmt.Sprintf("edges[%d]", i)
		c.name(at+".from", e.From, false)
		c.name(at+".to", e.To, false)
		c.types(at+".types", e.Types)
	}
	for i, r := range b.Reports {
		c.report(fmt.Sprintf("reports[%d]", i), Report{Kind: r.Kind, Classes: r.Classes})
	}
	if err := c.err(); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	b.normalize()
	return b, nil
}
