package lockdep

import (
	"fmt"
	"sort"
)

// Merger builds one class graph out of the graphs of many processes (test
// binaries) and validates it with the same strong-cycle search the live
// validator uses, so that an order A -> B taken in one process and B -> A
// in another is reported although neither process saw both. Classes are
// matched by name (subclasses carry a "/N" suffix). Each link of a report
// names the processes that contributed it.
//
// A Merger is not safe for concurrent use.
type Merger struct {
	v    *Validator
	keys map[string]*Key
}

// MergedEdge is one dependency as a process recorded it.
type MergedEdge struct {
	From, To string
	Types    string  // "-(EN)->", "-(EN,SR)->" or "EN,SR"
	Stack    []Frame // where the process first recorded it
	Source   string  // the process, e.g. "pkg.test pid 123 on host"
	Count    uint64  // how many times the process saw it (0 counts as 1)
}

// NewMerger returns an empty merged graph bounded by opts (zero fields
// mean the defaults); reports go to the Merger, not to a handler.
func NewMerger(opts Options) (*Merger, error) {
	opts.Handler = func(*Report) {}
	v, err := New(opts)
	if err != nil {
		return nil, err
	}
	return &Merger{v: v, keys: make(map[string]*Key)}, nil
}

func (g *Merger) classLocked(name string) (*class, *Report) {
	k := g.keys[name]
	if k == nil {
		k = new(Key)
		g.keys[name] = k
	}
	return g.v.lookupClassLocked(k, name, 0)
}

// AddClass makes sure a class exists, for classes with no dependencies.
func (g *Merger) AddClass(name string) error {
	g.v.mu.Lock()
	defer g.v.mu.Unlock()
	c, _ := g.classLocked(name)
	if c == nil {
		return fmt.Errorf("lockdep: merged graph: %s reached", g.v.limitHit)
	}
	return nil
}

// AddEdge adds one dependency. If a type of it would close a strong cycle
// with the dependencies already merged, that type is not added and the
// cycle is returned as a Circular report (once per set of classes). An
// error means the edge is malformed or a limit was reached.
func (g *Merger) AddEdge(me MergedEdge) (*Report, error) {
	types, err := parseDepTypes(me.Types)
	if err != nil {
		return nil, err
	}
	if me.From == me.To {
		return nil, fmt.Errorf("lockdep: merged graph: dependency of %q on itself", me.From)
	}
	v := g.v
	v.mu.Lock()
	defer v.mu.Unlock()
	from, _ := g.classLocked(me.From)
	to, _ := g.classLocked(me.To)
	if from == nil || to == nil {
		return nil, fmt.Errorf("lockdep: merged graph: %s reached", v.limitHit)
	}
	var e *edge
	for _, x := range from.after {
		if x.to == to {
			e = x
			break
		}
	}
	var rep *Report
	for _, t := range []depTypes{depEN, depER, depSN, depSR} {
		if types&t == 0 || (e != nil && e.types&t != 0) {
			continue
		}
		if path := v.cycleLocked(from, to, t); path != nil {
			types &^= t
			if rep == nil {
				r := v.mergedCycleReport(me, t, path)
				rep = v.fileLocked(r)
			}
		}
	}
	n := me.Count
	if n == 0 {
		n = 1
	}
	if e != nil {
		e.types |= types
		e.count += n
		e.sources = addSource(e.sources, me.Source)
		return rep, nil
	}
	if types == 0 {
		return rep, nil
	}
	if v.nedges >= v.opts.MaxEdges {
		v.overflowLocked("MaxEdges", v.opts.MaxEdges)
		return rep, fmt.Errorf("lockdep: merged graph: MaxEdges (%d) reached", v.opts.MaxEdges)
	}
	e = &edge{from: from, to: to, types: types, count: n, frames: me.Stack, sources: addSource(nil, me.Source)}
	from.after = append(from.after, e)
	to.befor = append(to.befor, e)
	v.nedges++
	return rep, nil
}

func addSource(ss []string, s string) []string {
	if s == "" {
		return ss
	}
	i := sort.SearchStrings(ss, s)
	if i < len(ss) && ss[i] == s {
		return ss
	}
	ss = append(ss, "")
	copy(ss[i+1:], ss[i:])
	ss[i] = s
	return ss
}

func (v *Validator) mergedCycleReport(me MergedEdge, t depTypes, path []*edge) *Report {
	r := &Report{Kind: Circular}
	held := LockRef{Class: me.From, Mode: Exclusive}
	if t&(depSN|depSR) != 0 {
		held.Mode = Shared
	}
	next := LockRef{Class: me.To, Mode: Exclusive}
	if t&(depER|depSR) != 0 {
		next.Mode = RecursiveRead
	}
	r.Lock, r.Held = &next, &held
	r.Classes = []string{me.To}
	for _, e := range path {
		r.Chain = append(r.Chain, v.linkOf(e))
		r.Classes = append(r.Classes, e.to.name)
	}
	r.New = &Link{From: me.From, To: me.To, Types: t.String(), Stack: me.Stack, Sources: addSource(nil, me.Source)}
	r.Stack = me.Stack
	r.Message = "the cycle is made of dependencies recorded by different processes; no single one of them saw it all"
	return r
}

// Reports returns the cycles found so far.
func (g *Merger) Reports() []*Report { return g.v.Reports() }

// Snapshot copies the merged graph.
func (g *Merger) Snapshot() *Snapshot { return g.v.Snapshot() }
