package lockdep

// Acquire records that the calling goroutine is about to block on the lock
// in mode, with nesting subclass sub (0 when not nested). Call it before
// blocking, so that a deadlock is reported instead of hung on.
func (m *Map) Acquire(sub int, mode Mode) {
	if Enabled {
		m.acquire(sub, mode, false, nil)
	}
}

// AcquireTry records a successful trylock. A trylock cannot deadlock, so it
// adds no dependency of its own; a later blocking acquisition depends on it.
func (m *Map) AcquireTry(sub int, mode Mode) {
	if Enabled {
		m.acquire(sub, mode, true, nil)
	}
}

// acquireNest records an acquisition of one of many locks of a class taken
// under an outer lock (the kernel's nest_lock): while nest is held, any
// number of locks of this class may be held together without a recursion
// report. If nest is not held, a NestLockNotHeld report is made.
func (m *Map) acquireNest(sub int, mode Mode, nest *Map) {
	if Enabled {
		m.acquire(sub, mode, false, nest)
	}
}

// Bits of Validator.rare: what makes every acquisition take the general
// path.
const (
	rareStats   = 1 << iota // statistics are on
	rareStopped             // graph validation stopped at a limit
	rareShuffle             // Options.Shuffle perturbs schedules
)

// setRare sets or clears bit in v.rare.
func (v *Validator) setRare(bit uint32, on bool) {
	for {
		old := v.rare.Load()
		n := old &^ bit
		if on {
			n |= bit
		}
		if v.rare.CompareAndSwap(old, n) {
			return
		}
	}
}

func (m *Map) acquire(sub int, mode Mode, try bool, nest *Map) {
	v := m.validator()
	if raceEnabled || v.rare.Load() != 0 || sub != 0 || try || nest != nil {
		m.acquireGeneral(v, sub, mode, try, nest)
		return
	}
	t := v.tasks.ownTask(true)
	if c := m.cache[0].Load(); t.depth == 0 && len(t.held) > 0 && !t.pending.Load() &&
		c != nil && c.gen.Load() == v.gen.Load() {
		m.acquireOutermost(v, t, c, mode)
		return
	}
	m.acquireWith(v, t, sub, mode, try, nest)
}

// acquireOutermost is the general path's case of a blocking acquisition
// of subclass 0 with nothing held, nothing pending, the class cached, and
// nothing rare: the common case written out, because the general path's
// size costs it registers (a nanosecond on a read lock's round trip).
// Keep the two alike.
func (m *Map) acquireOutermost(v *Validator, t *task, c *class, mode Mode) {
	key := c.root[mode&3]
	h := &t.held[0]
	h.m, h.class, h.nest, h.token = m, c, nil, nil
	h.chainKey, h.since, h.refs = key, 0, 1
	h.mode, h.try, h.sub, h.merged, h.waiting = mode, false, 0, false, false
	t.depth = 1
	if mode == Exclusive {
		m.setHolder(t.goid)
	}
	t.noteRegion(c, mode)
	if v.chains.Load().contains(key) {
		t.chainHits++
		return
	}
	v.validate(t, 0)
}

// acquireGeneral is the path of every acquisition that acquireOutermost
// does not take: nested, trylock, nest-lock, subclassed, or with something
// rare on (schedule perturbation comes first, before the task is claimed).
func (m *Map) acquireGeneral(v *Validator, sub int, mode Mode, try bool, nest *Map) {
	if v.opts.Shuffle != 0 && !try {
		v.perturb()
	}
	m.acquireWith(v, v.tasks.ownTask(true), sub, mode, try, nest)
}

// acquireWith records the acquisition in the claimed task t and validates
// it.
func (m *Map) acquireWith(v *Validator, t *task, sub int, mode Mode, try bool, nest *Map) {
	if raceEnabled {
		defer t.publish() // compiled away outside race builds
	}
	if t.pending.Load() {
		v.applyRemote(t)
	}
	if uint(sub) > MaxSubclass {
		t.addExtra(m)
		v.report(v.newReport(InvalidSubclass, t, m, sub, mode))
		return
	}
	// classFor, its cached case written out: a call less per acquisition.
	var c *class
	if sub < len(m.cache) {
		if c = m.cache[sub].Load(); c != nil && c.gen.Load() != v.gen.Load() {
			c = nil
		}
	}
	if c == nil {
		c = m.classFor(v, sub)
	}
	d := t.depth
	if c == nil || (d >= len(t.held) && !t.grow(v.opts.MaxDepth)) {
		t.addExtra(m)
		if c != nil && !t.depthReported {
			// One report per nest: the locks above the limit are not
			// validated, and their releases are accepted silently.
			t.depthReported = true
			v.report(v.depthReport(t, m, sub, mode))
		}
		return
	}
	if nest != nil {
		if !t.holds(nest) {
			v.report(v.nestNotHeldReport(t, m, sub, mode, nest))
		} else if d > 0 {
			// Merge with the top entry when it is the same class under
			// the same outer lock, as the kernel does, so that hundreds of
			// locks of one class do not exhaust the held-lock depth.
			if top := &t.held[d-1]; top.class == c && top.nest == nest && top.mode == mode {
				top.refs++
				top.merged = true
				return
			}
		}
	}
	var prev uint64
	if d > 0 {
		prev = t.held[d-1].chainKey
	}
	key := chainHash(prev, c.id, mode, try)
	// Field by field: building the struct and copying it in makes the
	// compiler assemble it on the stack and stall on store forwarding.
	h := &t.held[d]
	h.m, h.class, h.nest, h.token = m, c, nest, nil
	h.chainKey, h.since, h.refs = key, 0, 1
	h.mode, h.try, h.sub, h.merged, h.waiting = mode, try, uint8(sub), false, false
	t.depth = d + 1
	if mode == Exclusive {
		m.setHolder(t.goid)
	}
	if d == 0 && !try {
		t.noteRegion(c, mode)
	}
	if v.statsOn.Load() {
		c.acquiredStat(&t.held[d])
	}
	if !try {
		// The very lock again, whatever its subclass, is a certain
		// self-deadlock: looked for on every acquisition (the held list is
		// short), because the chain cache cannot tell instances apart.
		for i := 0; i < d; i++ {
			if h := &t.held[i]; h.m == m && !(mode == RecursiveRead && h.mode.reader()) && !h.gone() {
				v.reportOn(t, v.recursiveReport(t, i, d, captureStack(v.opts.StackDepth, 3)), i)
				break
			}
		}
		if d > 0 && c.ordered.Load() { // nothing held: no nesting to check
			v.checkOrder(t, d)
		}
	}
	if try || v.stopped.Load() {
		return
	}
	if v.chains.Load().contains(key) {
		t.chainHits++
		return
	}
	v.validate(t, d)
}

func (t *task) addExtra(m *Map) {
	if len(t.extra) < maxExtra {
		t.extra = append(t.extra, m)
	} else {
		t.lost++
	}
}

// holds reports whether the task holds m.
func (t *task) holds(m *Map) bool {
	return t.find(m) >= 0
}

// find returns the index of m in the held list, searching from the top, or
// -1. Merged nest-lock entries match any instance of their class.
func (t *task) find(m *Map) int {
	for i := t.depth - 1; i >= 0; i-- {
		h := &t.held[i]
		if h.m == m {
			return i
		}
		if h.merged && h.m.classKey() == m.classKey() && h.m.v == m.v {
			return i
		}
	}
	return -1
}

// findOldest returns the index of the lowest entry for m, or -1.
func (t *task) findOldest(m *Map) int {
	for i := 0; i < t.depth; i++ {
		if t.held[i].m == m {
			return i
		}
	}
	return t.find(m) // a merged nest-lock entry
}

// checkOrder enforces the instance order of the class of held[idx] against
// every held lock of the same key: the order given with SetInstanceOrder,
// or, for the site classes of zero-value locks, the order learned from the
// pairs of instances nested so far.
func (v *Validator) checkOrder(t *task, idx int) {
	next := &t.held[idx]
	cmp := next.class.ki.order
	if cmp == nil {
		if next.class.ki.site != nil {
			v.learnOrder(t, idx)
		}
		return
	}
	for i := idx - 1; i >= 0; i-- {
		h := &t.held[i]
		if h.try || h.class.ki != next.class.ki || h.m == next.m || h.gone() {
			continue
		}
		if c := cmp(h.m, next.m); c >= 0 {
			v.reportOn(t, v.orderReport(t, i, idx, c), i)
			return
		}
	}
}
