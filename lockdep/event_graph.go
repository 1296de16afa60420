package lockdep

// completeEvent records ec -> L for every lock class L of the goroutine's
// region and every lock it holds (event.go). A completion whose
// dependencies are all known costs a lookup per class in a lock-free set,
// like the chain cache; the graph lock is taken only for a new one.
func (v *Validator) completeEvent(t *task, ec *class) {
	set := v.events.Load()
	if set == nil {
		set = v.newEventSet()
	}
	var todo [regionSize + 8]regionEntry
	n := 0
	add := func(c *class, mode Mode) {
		if c == nil || c == ec || c.ki.event || n == len(todo) {
			return
		}
		if set.contains(eventEdgeKey(ec, c, mode)) {
			return
		}
		for _, x := range todo[:n] {
			if x.c == c && x.mode == mode {
				return
			}
		}
		todo[n] = regionEntry{c, mode}
		n++
	}
	from := uint32(0)
	if t.nregion > regionSize {
		from = t.nregion - regionSize
	}
	for i := from; i < t.nregion; i++ {
		r := t.region[i%regionSize]
		add(r.c, r.mode)
	}
	for i := 0; i < t.depth; i++ {
		if h := &t.held[i]; !h.try && !h.gone() {
			add(h.class, h.mode)
		}
	}
	if n == 0 {
		return
	}
	stack := captureStack(v.opts.StackDepth, 4)
	var out []*Report
	v.mu.Lock()
	for _, x := range todo[:n] {
		if x.c.gen.Load() != v.gen.Load() {
			continue // forgotten by a Reset since it was noted
		}
		r, ok := v.addEventEdgeLocked(t, ec, x.c, x.mode, stack)
		if r != nil {
			out = append(out, r)
		}
		if !ok {
			break
		}
	}
	v.mu.Unlock()
	v.deliver(out)
}

func (v *Validator) newEventSet() *chainTable {
	v.mu.Lock()
	defer v.mu.Unlock()
	if set := v.events.Load(); set != nil {
		return set
	}
	set := newChainTable(v.opts.MaxEdges)
	v.events.Store(set)
	return set
}

// eventEdgeKey identifies the completion dependency ec -> c in mode: a
// chain hash of a two-lock chain whose first lock is the event, kept in
// its own table so that it never meets a real chain.
func eventEdgeKey(ec, c *class, mode Mode) uint64 {
	return chainHash(chainHash(0, ec.id, Exclusive, false), c.id, mode, false)
}

// addEventEdgeLocked records ec -> c, the completion of ec by a goroutine
// that took c in mode first. It returns a report if the dependency closes
// a deadlock cycle (the dependency is then not added), and ok=false if a
// limit overflowed.
func (v *Validator) addEventEdgeLocked(t *task, ec, c *class, mode Mode, stack []uintptr) (r *Report, ok bool) {
	set := v.events.Load()
	key := eventEdgeKey(ec, c, mode)
	typ := depType(Exclusive, mode)
	e := v.g.findEdge(ec, c)
	if e != nil && e.types&typ != 0 {
		e.count++
		set.insertLocked(key)
		return nil, true
	}
	if path := v.g.cycleLocked(ec, c, typ); path != nil {
		return v.fileOnLocked(v.completionReport(t, ec, c, mode, path, stack), t, nil, path), true
	}
	if e != nil {
		e.types |= typ
		e.count++
		set.insertLocked(key)
		return nil, true
	}
	if v.g.nedges >= v.opts.MaxEdges {
		return v.overflowLocked("MaxEdges", v.opts.MaxEdges), false
	}
	// A completion is not provisional: the locks of the region were taken
	// by this goroutine, whoever releases them.
	e = &edge{from: ec, to: c, types: typ, stack: stack, count: 1, confirmed: true}
	v.g.addEdge(e)
	set.insertLocked(key)
	return nil, true
}

// completionReport says that completing ec after taking c closes a cycle:
// path leads from c back to ec, through a goroutine that holds a lock while
// waiting for ec.
func (v *Validator) completionReport(t *task, ec, c *class, mode Mode, path []*edge, stack []uintptr) *Report {
	r := &Report{Kind: WaitCircular, Goroutine: t.goid, HeldLocks: heldRefs(t)}
	r.Stack = stackFrames(stack, v.opts.StackDepth)
	lock := LockRef{Class: c.name, Mode: mode}
	ev := LockRef{Class: ec.name, Mode: Exclusive}
	r.Lock, r.Held = &ev, &lock
	r.Classes = []string{c.name}
	for _, e := range path {
		r.Chain = append(r.Chain, linkOf(e, v.opts.StackDepth))
		r.Classes = append(r.Classes, e.to.name)
	}
	r.New = &Link{From: ec.name, To: c.name, Types: depType(Exclusive, mode).String(), Stack: r.Stack}
	r.Message = "this goroutine completes " + ec.name + " after taking " + c.name +
		", and a goroutine that waits for it may hold " + c.name + " while waiting"
	return r
}

// waitKind is the kind of a cycle report: WaitCircular if the cycle goes
// through an event class.
func waitKind(next *class, path []*edge) Kind {
	if next.ki.event {
		return WaitCircular
	}
	for _, e := range path {
		if e.to.ki.event || e.from.ki.event {
			return WaitCircular
		}
	}
	return Circular
}
