package lockdep

// classGraph is the dependency graph: classes, their dependencies, the
// topological order and the search state. The live Validator and the
// Merger each own one and guard it with their own lock; the cycle search
// (graph.go) and the order maintenance (order.go) are its methods, so both
// validate with the same code.
type classGraph struct {
	keys        map[*Key]*keyInfo
	names       map[string]int // class names in use; for a base name, its last #N
	classes     map[uint32]*class
	nextID      uint32
	nedges      int
	epoch       uint64    // search generation, for the marks in classes
	queue       []bfsItem // reused by the strong-path search
	pkStack     []*class  // reused by the order maintenance
	nextTopo    int       // position of the next new class
	orderBroken bool      // a non-deadlock cycle exists: no topological order

	// searchLeft, when bounded, is how many more edges the strong-path
	// searches may visit once orderBroken; a search that runs out gives
	// up, finding no cycle, and counts itself in searchesCut. The Merger
	// sets it before each merged edge: its graph is built from uploads,
	// and without a topological order every merged edge would search the
	// whole graph. A Validator leaves it unbounded.
	searchLeft  int
	bounded     bool
	searchesCut int
	// reachWork, when positive, bounds classes x edges for counting
	// reachability in a snapshot (the Merger's; see snapshotLocked).
	reachWork int
}

func (g *classGraph) reset() {
	g.keys = make(map[*Key]*keyInfo)
	g.names = make(map[string]int)
	g.classes = make(map[uint32]*class)
	g.nextID = 1
	g.nedges = 0
	g.orderBroken = false
}

// findEdge returns the dependency from -> to, or nil.
func (g *classGraph) findEdge(from, to *class) *edge {
	for _, e := range from.after {
		if e.to == to {
			return e
		}
	}
	return nil
}

// addEdge records a new dependency from -> to; the caller has checked the
// edge limit and that it closes no deadlock cycle.
func (g *classGraph) addEdge(e *edge) {
	e.from.after = append(e.from.after, e)
	e.to.before = append(e.to.before, e)
	g.nedges++
}

// dropEdge takes a dependency out of the graph, if it is still there (a
// retracted hold's: hold.go).
func (g *classGraph) dropEdge(e *edge) {
	for i, x := range e.from.after {
		if x == e {
			e.from.after = append(e.from.after[:i], e.from.after[i+1:]...)
			e.to.before = removeEdge(e.to.before, e)
			g.nedges--
			return
		}
	}
}

// problemLog remembers the problems reported, for de-duplication, and the
// most recent reports.
type problemLog struct {
	reported map[string]bool
	reports  []*Report // the most recent reports, bounded
	limitHit string
}

// maxKeptReports bounds Validator.Reports.
const maxKeptReports = 1000

func (p *problemLog) reset() {
	p.reported = make(map[string]bool)
	p.reports = nil
	p.limitHit = ""
}

func (p *problemLog) seen(r *Report) bool { return p.reported[r.dedupKey()] }

func (p *problemLog) full(max int) bool { return len(p.reported) >= max }

func (p *problemLog) add(r *Report) {
	p.reported[r.dedupKey()] = true
	if len(p.reports) >= maxKeptReports {
		p.reports = p.reports[1:]
	}
	p.reports = append(p.reports, r)
}
