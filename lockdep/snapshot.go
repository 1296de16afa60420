package lockdep

import "sort"

// Stats are the validator's counters, like the kernel's /proc/lockdep_stats.
type Stats struct {
	Classes      int    `json:"classes"`
	MaxClasses   int    `json:"max_classes"`
	DirectDeps   int    `json:"direct_dependencies"`
	IndirectDeps int    `json:"indirect_dependencies"` // -1 when not counted: by Stats, or when the graph is too big
	MaxEdges     int    `json:"max_dependencies"`
	Chains       int    `json:"chains"`
	MaxChains    int    `json:"max_chains"`
	ChainHits    uint64 `json:"chain_lookup_hits"`
	ChainMisses  uint64 `json:"chain_lookup_misses"`
	MaxDepth     int    `json:"max_locking_depth"`
	Reports      int64  `json:"reports"`
	// InstancePairs is how many pairs of instances of site classes have a
	// learned order now; PairsDropped how many were not learned because
	// MaxInstancePairs was reached.
	InstancePairs int64  `json:"instance_pairs"`
	PairsDropped  uint64 `json:"instance_pairs_dropped,omitempty"`
	Stopped       bool   `json:"stopped"`
	Limit         string `json:"limit,omitempty"`
}

// ClassInfo describes one class, like a line of /proc/lockdep.
type ClassInfo struct {
	ID       uint32 `json:"id"`
	Name     string `json:"name"`
	Key      string `json:"key"`
	Subclass int    `json:"subclass"`
	Ordered  bool   `json:"ordered,omitempty"`
	Forward  int    `json:"forward_deps"`  // classes reachable from this one
	Backward int    `json:"backward_deps"` // classes that reach this one
}

// EdgeInfo describes one direct dependency.
type EdgeInfo struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Types   string   `json:"types"`
	Count   uint64   `json:"count"`
	Stack   []Frame  `json:"stack"`
	Sources []string `json:"sources,omitempty"` // merged graphs: the processes that had it
}

// ChainInfo is one cached lock chain: the classes held, outermost first.
type ChainInfo struct {
	Classes []string `json:"classes"`
	Modes   []Mode   `json:"modes"`
}

// Snapshot is a consistent copy of a validator's graph.
type Snapshot struct {
	Classes []ClassInfo `json:"classes"`
	Edges   []EdgeInfo  `json:"edges"`
	Chains  []ChainInfo `json:"chains"`
	Stats   Stats       `json:"stats"`
}

// countLimit bounds the classes for which reachability is counted; above it
// the per-class counts and the indirect total are reported as -1.
const countLimit = 4096

// Snapshot copies the graph, sorted by class name so that two snapshots of
// the same graph compare equal, with the counters (indirect dependencies
// counted).
func (v *Validator) Snapshot() *Snapshot {
	hits := v.chainHits()
	v.mu.Lock()
	defer v.mu.Unlock()
	s := &Snapshot{}
	indirect := v.g.snapshotLocked(s, v.opts.StackDepth)
	for _, ci := range v.chainInfo {
		ch := ChainInfo{Modes: append([]Mode(nil), ci.modes...)}
		for _, c := range ci.classes {
			ch.Classes = append(ch.Classes, c.name)
		}
		s.Chains = append(s.Chains, ch)
	}
	sort.Slice(s.Chains, func(i, j int) bool { return chainLess(s.Chains[i], s.Chains[j]) })
	s.Stats = v.statsLocked(hits)
	s.Stats.IndirectDeps = indirect
	return s
}

// Stats returns the validator's counters, without copying the graph:
// IndirectDeps is -1 here (Snapshot counts it).
func (v *Validator) Stats() Stats {
	hits := v.chainHits()
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.statsLocked(hits)
}

func (v *Validator) statsLocked(hits uint64) Stats {
	return Stats{
		Classes: len(v.g.classes), MaxClasses: v.opts.MaxClasses,
		DirectDeps: v.g.nedges, IndirectDeps: -1, MaxEdges: v.opts.MaxEdges,
		Chains: len(v.chainInfo), MaxChains: v.opts.MaxChains,
		ChainHits: hits, ChainMisses: v.misses.Load(), MaxDepth: int(v.maxDepthSeen.Load()),
		Reports: v.nreports.Load(), Stopped: v.stopped.Load(), Limit: v.problems.limitHit,
		InstancePairs: v.pairs.n.Load(), PairsDropped: v.pairs.dropped.Load(),
	}
}

// chainHits sums the goroutines' chain-cache hits, read racily.
func (v *Validator) chainHits() uint64 {
	var hits uint64
	v.tasks.allTasks(func(t *task) { hits += taskHits(t) })
	if v.tasks != nil {
		if v.tasks.noverflow.Load() > 0 {
			v.tasks.overflow.Range(func(_, t any) bool {
				hits += taskHits(t.(*task))
				return true
			})
		}
		hits += v.tasks.droppedHits.Load()
	}
	return hits
}

// snapshotLocked copies the classes and dependencies into s, sorted by
// name so that two snapshots of one graph compare equal, and returns the
// number of indirect dependencies (-1 when the graph is too big to count).
func (g *classGraph) snapshotLocked(s *Snapshot, depth int) (indirect int) {
	cs := make([]*class, 0, len(g.classes))
	for _, c := range g.classes {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	count := len(cs) <= countLimit && (g.reachWork <= 0 || len(cs)*g.nedges <= g.reachWork)
	for _, c := range cs {
		ci := ClassInfo{ID: c.id, Name: c.name, Key: c.ki.name, Subclass: int(c.sub), Ordered: c.ki.order != nil, Forward: -1, Backward: -1}
		if count {
			ci.Forward = g.reachLocked(c, true)
			ci.Backward = g.reachLocked(c, false)
			indirect += ci.Forward - len(c.after)
		}
		s.Classes = append(s.Classes, ci)
		for _, e := range c.after {
			l := linkOf(e, depth)
			s.Edges = append(s.Edges, EdgeInfo{From: l.From, To: l.To, Types: l.Types, Count: e.count, Stack: l.Stack, Sources: l.Sources})
		}
	}
	sort.Slice(s.Edges, func(i, j int) bool {
		if s.Edges[i].From != s.Edges[j].From {
			return s.Edges[i].From < s.Edges[j].From
		}
		return s.Edges[i].To < s.Edges[j].To
	})
	if !count {
		indirect = -1
	}
	return indirect
}

func chainLess(a, b ChainInfo) bool {
	for i := 0; i < len(a.Classes) && i < len(b.Classes); i++ {
		if a.Classes[i] != b.Classes[i] {
			return a.Classes[i] < b.Classes[i]
		}
	}
	return len(a.Classes) < len(b.Classes)
}

// reachLocked counts the classes reachable from c, forwards or backwards.
func (g *classGraph) reachLocked(c *class, forward bool) int {
	g.epoch++
	ep := g.epoch
	c.mark[0] = ep
	q := []*class{c}
	n := 0
	for len(q) > 0 {
		x := q[0]
		q = q[1:]
		es := x.after
		if !forward {
			es = x.before
		}
		for _, e := range es {
			y := e.to
			if !forward {
				y = e.from
			}
			if y.mark[0] != ep {
				y.mark[0] = ep
				n++
				q = append(q, y)
			}
		}
	}
	return n
}

// TakeSnapshot copies the default validator's graph.
func TakeSnapshot() *Snapshot { return std.Snapshot() }
