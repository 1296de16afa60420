package lockdep

// The deadlock search. A dependency A -> B carries a set of the kernel's
// four types: whether A was held exclusively (E) or shared (S), and whether
// B was taken as a recursive reader (R) or not (N). A cycle is a deadlock
// only if it is strong: no step enters a class as a recursive reader (*R)
// and the next step leaves it as a reader (S*), because a recursive reader
// never waits for another reader. The search is a breadth-first search over
// (class, entered-by-recursive-read) states; entering by a non-recursive
// acquisition is the stronger state and dominates.

type bfsItem struct {
	c *class
	r bool // entered as a recursive reader
}

// strongPathLocked looks for a strong path from 'from' (entered as a
// recursive reader when fromR) to 'to', such that a final step that leaves
// 'to' as a reader (closeS) keeps the cycle strong. It returns the edges of
// the shortest such path, or nil.
func (g *classGraph) strongPathLocked(from *class, fromR bool, to *class, closeS bool) []*edge {
	g.epoch++
	ep := g.epoch
	q := g.queue[:0]
	mark := func(c *class, r bool, via *edge, pr bool) {
		s := stateIdx(r)
		c.mark[s] = ep
		c.parent[s] = via
		c.pstate[s] = pr
		q = append(q, bfsItem{c, r})
	}
	mark(from, fromR, nil, false)
	bounded := g.orderBroken && g.bounded
	for len(q) > 0 {
		it := q[0]
		q = q[1:]
		if it.c == to && !(it.r && closeS) {
			g.queue = q[:0]
			return pathTo(it)
		}
		if bounded {
			if g.searchLeft < len(it.c.after) {
				g.searchesCut++
				break
			}
			g.searchLeft -= len(it.c.after)
		}
		for _, e := range it.c.after {
			types := e.types
			if it.r {
				types &= depEN | depER // a recursive reader must be left exclusively
			}
			if types == 0 {
				continue
			}
			nr := types&(depEN|depSN) == 0 // only *R types: entered as recursive reader
			if e.to.mark[0] == ep || (nr && e.to.mark[1] == ep) {
				continue
			}
			mark(e.to, nr, e, it.r)
		}
	}
	g.queue = q[:0]
	return nil
}

func stateIdx(r bool) int {
	if r {
		return 1
	}
	return 0
}

func pathTo(it bfsItem) []*edge {
	var path []*edge
	c, r := it.c, it.r
	for {
		s := stateIdx(r)
		e := c.parent[s]
		if e == nil {
			break
		}
		path = append(path, e)
		c, r = e.from, c.pstate[s]
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}
