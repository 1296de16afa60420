package lockdep

// Functions here read another goroutine's held locks without
// synchronisation. They are used only for diagnostics (held-lock dumps,
// finding the holder of a lock unlocked by a non-owner, statistics), where a
// slightly stale view is acceptable and stopping the world is not. Every
// field they read is a word or smaller, so no value is torn; the race
// detector is told to ignore these reads with go:norace.

// heldSnapshot copies a task's held locks.
//
//go:norace
func heldSnapshot(t *task) (goid int64, held []heldLock) {
	all := t.heldView()
	d := t.depth
	if d > len(all) {
		d = len(all)
	}
	held = make([]heldLock, d)
	copy(held, all[:d])
	return t.goid, held
}

//go:norace
func heldGoid(t *task) int64 { return t.goid }

// taskHoldsGranted counts t's entries for m held in mode (readers: any
// reader mode) that are not still waiting.
//
//go:norace
func taskHoldsGranted(t *task, m *Map, mode Mode) (n int) {
	held := t.heldView()
	d := t.depth
	if d > len(held) {
		d = len(held)
	}
	for i := 0; i < d; i++ {
		if h := &held[i]; h.m == m && !h.waiting && h.mode.reader() == mode.reader() {
			n++
		}
	}
	return n
}

//go:norace
func taskHits(t *task) uint64 {
	return t.chainHits
}

// setHolder leaves the id of an exclusive holder in the Map, as a hint for
// a foreign unlock (releaseForeign); it is checked before it is trusted.
//
//go:norace
func (m *Map) setHolder(id int64) { m.holder = id }

//go:norace
func (m *Map) holderHint() int64 { return m.holder }
