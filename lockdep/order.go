package lockdep

import "sort"

// An incremental topological order of the class graph (Pearce and Kelly,
// "A dynamic topological sort algorithm for directed acyclic graphs", as
// Abseil's deadlock detector uses). Every class has a position, topo, and
// every dependency goes from a lower position to a higher one. A new
// dependency from -> to with topo[from] < topo[to] cannot close a cycle and
// costs nothing to check; otherwise only the classes between the two
// positions are searched and, if no cycle is found, reordered.
//
// The class graph may legitimately contain cycles that are not deadlocks
// (through recursive readers). The first such cycle makes a topological
// order impossible; from then on every new dependency is checked with the
// full strong-path search (orderBroken), which is what the kernel always
// does.

// cycleLocked reports whether a dependency from -> to of type typ would
// close a deadlock cycle, and returns the existing path to ... from if so.
// When it returns nil the order already accounts for the new dependency,
// and the caller may add it.
func (g *classGraph) cycleLocked(from, to *class, typ depTypes) []*edge {
	closeS := typ&(depSN|depSR) != 0
	fromR := typ&(depER|depSR) != 0
	if g.orderBroken {
		return g.strongPathLocked(to, fromR, from, closeS)
	}
	if from.topo < to.topo {
		return nil
	}
	fwd, cyclic := g.forwardWithinLocked(to, from)
	if cyclic {
		if path := g.strongPathLocked(to, fromR, from, closeS); path != nil {
			return path
		}
		// A cycle, but not a deadlock: no topological order exists now.
		g.orderBroken = true
		return nil
	}
	back := g.backwardWithinLocked(from, to.topo)
	reorder(back, fwd)
	return nil
}

// forwardWithinLocked collects the classes reachable from start whose
// position is below target's, and reports whether target is reachable.
func (g *classGraph) forwardWithinLocked(start, target *class) ([]*class, bool) {
	return g.searchWithinLocked(start, target, true, target.topo)
}

// backwardWithinLocked collects the classes that reach start and whose
// position is above lb.
func (g *classGraph) backwardWithinLocked(start *class, lb int) []*class {
	seen, _ := g.searchWithinLocked(start, nil, false, lb)
	return seen
}

// searchWithinLocked is a depth-first search from start, along
// dependencies (forward) or against them, that stays strictly inside the
// positions below bound (forward) or above it (backward). It stops early,
// reporting true, if it meets target.
func (g *classGraph) searchWithinLocked(start, target *class, forward bool, bound int) ([]*class, bool) {
	g.epoch++
	ep := g.epoch
	stack := append(g.pkStack[:0], start)
	start.orderMark = ep
	var seen []*class
	found := false
	for len(stack) > 0 && !found {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		seen = append(seen, c)
		es := c.before
		if forward {
			es = c.after
		}
		for _, e := range es {
			w := e.from
			if forward {
				w = e.to
			}
			if w == target {
				found = true
				break
			}
			inside := w.topo > bound
			if forward {
				inside = w.topo < bound
			}
			if w.orderMark != ep && inside {
				w.orderMark = ep
				stack = append(stack, w)
			}
		}
	}
	g.pkStack = stack[:0]
	return seen, found
}

// reorder gives the classes of back (which reach the new dependency's
// source) and fwd (reachable from its target) the positions they held
// between them, back first, each group keeping its relative order.
func reorder(back, fwd []*class) {
	byOrd := func(cs []*class) {
		sort.Slice(cs, func(i, j int) bool { return cs[i].topo < cs[j].topo })
	}
	byOrd(back)
	byOrd(fwd)
	pos := make([]int, 0, len(back)+len(fwd))
	for _, c := range back {
		pos = append(pos, c.topo)
	}
	for _, c := range fwd {
		pos = append(pos, c.topo)
	}
	sort.Ints(pos)
	i := 0
	for _, c := range back {
		c.topo = pos[i]
		i++
	}
	for _, c := range fwd {
		c.topo = pos[i]
		i++
	}
}
