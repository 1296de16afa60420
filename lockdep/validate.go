package lockdep

// validate is the slow path of an acquisition whose chain was not in the
// cache: the recursion check, then a dependency from the held locks to the
// new one, each checked for a deadlock cycle, then the chain is cached.
func (v *Validator) validate(t *task, idx int) {
	v.misses.Add(1)
	var out []*Report
	v.mu.Lock()
	next := &t.held[idx]
	if v.stopped.Load() || v.chains.Load().contains(next.chainKey) {
		v.mu.Unlock()
		return
	}
	v.refreshLocked(t, idx)
	if int64(idx+1) > v.maxDepthSeen.Load() {
		v.maxDepthSeen.Store(int64(idx + 1))
	}
	var stack []uintptr // captured once, when first needed
	cur := func() []uintptr {
		if stack == nil {
			stack = captureStack(v.opts.StackDepth, 3)
		}
		return stack
	}
	addEdges := true
	refused := false // a dependency closed a cycle and was not added
	for i := idx - 1; i >= 0; i-- {
		h := &t.held[i]
		if h.gone() {
			continue
		}
		sameLock := h.m == next.m
		if h.class != next.class && !sameLock {
			continue
		}
		if next.mode == RecursiveRead && h.mode.reader() {
			continue // read_lock after read_lock of one class is allowed
		}
		if !sameLock && (next.class.ki.order != nil || next.class.ki.site != nil) {
			// The key has an instance order, given or learned: checkOrder
			// validates every nesting of two of its instances, on every
			// acquisition.
			continue
		}
		addEdges = false
		if h.class != next.class {
			// The same lock under another subclass: a recursion of this
			// instance, which says nothing about other instances of these
			// classes, so the chain must not be cached.
			refused = true
		}
		if !sameLock && next.nest != nil && t.holds(next.nest) {
			break // the outer lock serialises this class's nesting
		}
		if r := v.fileOnLocked(v.recursiveReport(t, i, idx, cur()), t, []int{i}, nil); r != nil {
			out = append(out, r)
		}
		break
	}
	if addEdges {
		for i := idx - 1; i >= 0; i-- {
			h := &t.held[i]
			if h.gone() {
				continue
			}
			if h.class != next.class {
				r, ok, cyc := v.addDependencyLocked(t, i, idx, cur)
				if r != nil {
					out = append(out, r)
				}
				refused = refused || cyc
				if !ok {
					break
				}
			}
			// Stop after the first lock that was not trylocked: it has
			// its own dependencies on the locks beneath it.
			if !h.try {
				break
			}
		}
	}
	// A chain whose check refused a dependency is not cached: the kernel
	// can cache it because it stops after its first report, but this
	// validator goes on, and the refused dependency must be checked again
	// next time, against whatever the graph has learned meanwhile.
	if !v.stopped.Load() && !refused {
		if len(v.chainInfo) >= v.opts.MaxChains {
			if r := v.overflowLocked("MaxChains", v.opts.MaxChains); r != nil {
				out = append(out, r)
			}
		} else {
			v.chains.Load().insertLocked(next.chainKey)
			v.chainInfo[next.chainKey] = newChainInfo(t.held[:idx+1])
			v.noteChainLocked(t, idx, next.chainKey)
		}
	}
	v.mu.Unlock()
	v.deliver(out)
}

func newChainInfo(held []heldLock) *chainInfo {
	ci := &chainInfo{classes: make([]*class, len(held)), modes: make([]Mode, len(held))}
	for i := range held {
		ci.classes[i] = held[i].class
		ci.modes[i] = held[i].mode
	}
	return ci
}

// refreshLocked replaces classes forgotten by Reset or UnregisterKey in the
// held list, and recomputes the chain hashes if any changed.
func (v *Validator) refreshLocked(t *task, idx int) {
	gen := v.gen.Load()
	changed := false
	for i := 0; i <= idx; i++ {
		h := &t.held[i]
		if h.class.gen.Load() == gen {
			continue
		}
		c, _ := v.lookupMapClassLocked(h.m, int(h.sub))
		if c == nil {
			continue
		}
		h.class = c
		changed = true
	}
	if changed {
		var prev uint64
		for i := 0; i <= idx; i++ {
			h := &t.held[i]
			h.chainKey = chainHash(prev, h.class.id, h.mode, h.try)
			prev = h.chainKey
		}
	}
}

// addDependencyLocked records held[i] -> held[idx]. It returns a report if
// the dependency would close a deadlock cycle (the dependency is then not
// added, and cyclic is true) or overflows a limit, and ok=false if
// validation must stop.
func (v *Validator) addDependencyLocked(t *task, i, idx int, stack func() []uintptr) (r *Report, ok, cyclic bool) {
	prev, next := &t.held[i], &t.held[idx]
	typ := depType(prev.mode, next.mode)
	e := v.g.findEdge(prev.class, next.class)
	if e != nil && e.types&typ != 0 {
		e.count++
		return nil, true, false
	}
	if path := v.g.cycleLocked(prev.class, next.class, typ); path != nil {
		return v.fileOnLocked(v.circularReport(t, i, idx, path, stack()), t, []int{i}, path), true, true
	}
	if e != nil {
		e.types |= typ
		e.count++
		return nil, true, false
	}
	if v.g.nedges >= v.opts.MaxEdges {
		return v.overflowLocked("MaxEdges", v.opts.MaxEdges), false, false
	}
	e = &edge{from: prev.class, to: next.class, types: typ, stack: stack(), count: 1}
	v.g.addEdge(e)
	v.noteEdgeLocked(e, t, i)
	return nil, true, false
}
