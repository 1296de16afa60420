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
	d := t.depth
	if d > len(t.held) {
		d = len(t.held)
	}
	held = make([]heldLock, d)
	copy(held, t.held[:d])
	return t.goid, held
}

// taskHolds reports whether t holds m, and in which mode.
//
//go:norace
func taskHolds(t *task, m *Map) (Mode, bool) {
	d := t.depth
	if d > len(t.held) {
		d = len(t.held)
	}
	for i := 0; i < d; i++ {
		if t.held[i].m == m {
			return t.held[i].mode, true
		}
	}
	return 0, false
}

//go:norace
func taskHits(t *task) uint64 {
	return t.chainHits
}

// heldDepth reads another goroutine's depth.
//
//go:norace
func heldDepth(t *task) int { return t.depth }
