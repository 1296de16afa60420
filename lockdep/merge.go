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
// names the processes that contributed it (the first MaxEdgeSources).
//
// Once the merged graph holds a cycle that is not a deadlock (through
// recursive readers), no topological order exists and each merged edge is
// checked by a search of the graph; that search is bounded by
// MergeSearchBudget edges per merged edge, and a search cut short finds no
// cycle and is counted (SearchesCut), so a merge costs at most the budget
// per edge whatever the graphs hold. Reachability counts in a Snapshot are
// likewise skipped above mergeReachWork classes x dependencies.
//
// A Merger is not safe for concurrent use. It has no goroutines, held
// locks or chain cache of its own: only a class graph, searched by the same
// code as a Validator's.
type Merger struct {
	opts     Options
	g        classGraph
	keys     map[string]*Key
	problems problemLog
	stopped  bool
}

// MergeSearchBudget bounds the edges the cycle search visits for one
// merged dependency once the merged graph has no topological order.
const MergeSearchBudget = 1 << 10

// mergeReachWork bounds classes x dependencies for which a merged
// Snapshot counts each class's forward and backward reach.
const mergeReachWork = 1 << 24

// MergedEdge is one dependency as a process recorded it.
type MergedEdge struct {
	From, To string
	Types    string  // "-(EN)->", "-(EN,SR)->" or "EN,SR"
	Stack    []Frame // where the process first recorded it
	Source   string  // the process, e.g. "pkg.test pid 123 on host"
	Count    uint64  // how many times the process saw it (0 counts as 1)
}

// NewMerger returns an empty merged graph bounded by opts (zero fields
// mean the defaults; Handler is not used: reports stay with the Merger).
func NewMerger(opts Options) (*Merger, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	g := &Merger{opts: o, keys: make(map[string]*Key)}
	g.g.reset()
	g.g.bounded = true
	g.g.reachWork = mergeReachWork
	g.problems.reset()
	return g, nil
}

// limitError stops the merge at a limit.
func (g *Merger) limitError(limit string, value int) error {
	if !g.stopped {
		g.stopped = true
		g.problems.limitHit = limit
	}
	return fmt.Errorf("lockdep: merged graph: %s (%d) reached", limit, value)
}

func (g *Merger) class(name string) (*class, error) {
	k := g.keys[name]
	if k == nil {
		k = new(Key)
		g.keys[name] = k
	}
	ki := g.g.keyInfoLocked(k, name)
	if c := ki.classes[0]; c != nil {
		return c, nil
	}
	if len(g.g.classes) >= g.opts.MaxClasses {
		return nil, g.limitError("MaxClasses", g.opts.MaxClasses)
	}
	return g.g.newClassLocked(ki, 0, nil), nil
}

// AddClass makes sure a class exists, for classes with no dependencies.
func (g *Merger) AddClass(name string) error {
	_, err := g.class(name)
	return err
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
	from, err := g.class(me.From)
	if err != nil {
		return nil, err
	}
	to, err := g.class(me.To)
	if err != nil {
		return nil, err
	}
	e := g.g.findEdge(from, to)
	var rep *Report
	g.g.searchLeft = MergeSearchBudget
	for _, t := range allDepTypes {
		if types&t == 0 || (e != nil && e.types&t != 0) {
			continue
		}
		if path := g.g.cycleLocked(from, to, t); path != nil {
			types &^= t
			if rep == nil {
				rep = g.file(me, t, path)
			}
		}
	}
	if len(me.Stack) > g.opts.StackDepth {
		me.Stack = me.Stack[:g.opts.StackDepth]
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
	if g.g.nedges >= g.opts.MaxEdges {
		return rep, g.limitError("MaxEdges", g.opts.MaxEdges)
	}
	g.g.addEdge(&edge{from: from, to: to, types: types, count: n, frames: me.Stack, sources: addSource(nil, me.Source), confirmed: true})
	return rep, nil
}

// file records the cycle that the dependency me of type t closes with
// path, unless the same cycle was reported or MaxProblems were. The report
// is built only once it is known to be new: only its classes are needed
// to tell.
func (g *Merger) file(me MergedEdge, t depTypes, path []*edge) *Report {
	classes := cycleClasses(me, path)
	key := &Report{Kind: cycleKind(classes), Classes: classes}
	if g.problems.seen(key) || g.problems.full(g.opts.MaxProblems) {
		return nil
	}
	r := g.cycleReport(me, t, path)
	r.Kind, r.Classes = key.Kind, classes
	g.problems.add(r)
	return r
}

// cycleKind is Circular, or WaitCircular for a cycle through an event.
func cycleKind(classes []string) Kind {
	for _, c := range classes {
		if isEventName(c) {
			return WaitCircular
		}
	}
	return Circular
}

// cycleClasses are a cycle report's classes: the new dependency's target,
// then the target of each link of the existing path.
func cycleClasses(me MergedEdge, path []*edge) []string {
	cs := make([]string, 0, len(path)+1)
	cs = append(cs, me.To)
	for _, e := range path {
		cs = append(cs, e.to.name)
	}
	return cs
}

// SearchesCut is how many cycle searches gave up at MergeSearchBudget:
// dependencies merged without knowing whether they close a cycle.
func (g *Merger) SearchesCut() int { return g.g.searchesCut }

// MaxEdgeSources bounds the processes a merged dependency names.
const MaxEdgeSources = 32

func addSource(ss []string, s string) []string {
	if s == "" || len(ss) >= MaxEdgeSources {
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

// cycleReport builds the report of a cycle file found new; file sets its
// kind and classes.
func (g *Merger) cycleReport(me MergedEdge, t depTypes, path []*edge) *Report {
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
	for _, e := range path {
		r.Chain = append(r.Chain, linkOf(e, g.opts.StackDepth))
	}
	r.New = &Link{From: me.From, To: me.To, Types: t.String(), Stack: me.Stack, Sources: addSource(nil, me.Source)}
	r.Stack = me.Stack
	r.Message = "the cycle is made of dependencies recorded by different processes; no single one of them saw it all"
	return r
}

// Reports returns the cycles found so far.
func (g *Merger) Reports() []*Report { return append([]*Report(nil), g.problems.reports...) }

// Snapshot copies the merged graph.
func (g *Merger) Snapshot() *Snapshot {
	s := &Snapshot{}
	indirect := g.g.snapshotLocked(s, g.opts.StackDepth)
	s.Stats = Stats{
		Classes: len(g.g.classes), MaxClasses: g.opts.MaxClasses,
		DirectDeps: g.g.nedges, IndirectDeps: indirect, MaxEdges: g.opts.MaxEdges,
		MaxChains: g.opts.MaxChains, Reports: int64(len(g.problems.reported)),
		Stopped: g.stopped, Limit: g.problems.limitHit,
	}
	return s
}
