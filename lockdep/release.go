package lockdep

// Release records that the calling goroutine released the lock. Locks may
// be released in any order. It returns false if the goroutine does not hold
// it; the caller then decides, knowing whether the lock is locked at all,
// and calls ReleaseUnheld.
func (m *Map) Release() bool {
	if !Enabled {
		return true
	}
	v := m.Validator()
	t := v.tasks.ownTask(false, 0)
	if t == nil {
		return false
	}
	// The common case: the lock on top, taken once, no statistics, no
	// queued work, and the goroutine keeps its slot.
	if d := t.depth; d > 0 && !t.pending.Load() {
		if h := &t.held[d-1]; h.m == m && !h.merged && h.since == 0 && t.slot >= 0 {
			t.depth = d - 1
			t.publish()
			return true
		}
	}
	ok := v.release(t, m)
	t.publish()
	return ok
}

func (v *Validator) release(t *task, m *Map) bool {
	if t.pending.Load() {
		v.applyRemote(t)
	}
	ok := v.releaseFrom(t, m)
	v.maybeDrop(t)
	return ok
}

// ReleaseUnheld reports the release of a lock the calling goroutine does
// not hold (a BadUnlock). locked says whether the lock is held by anyone: if
// it is, the goroutine holding it stops holding it, as Go lets any goroutine
// unlock a mutex; if it is not (a double unlock), the caller must leave the
// lock untouched.
func (m *Map) ReleaseUnheld(locked bool) {
	if !Enabled {
		return
	}
	v := m.Validator()
	holder := int64(0)
	if locked {
		holder = v.releaseForeign(m)
	}
	v.report(v.badUnlockReport(m, locked, holder))
}

// ReleaseNonOwner releases a lock that another goroutine acquired, on
// purpose: ownership was handed over (the kernel's up_read_non_owner). No
// report is made; the acquiring goroutine stops holding the lock.
func (m *Map) ReleaseNonOwner() {
	if !Enabled {
		return
	}
	if !m.Release() {
		m.Validator().releaseForeign(m)
	}
}

// releaseForeign finds a goroutine that holds m, queues the release for
// it, and returns its id (0 if none was found).
func (v *Validator) releaseForeign(m *Map) int64 {
	var holder *task
	v.tasks.each(func(t *task) {
		if holder == nil {
			if _, ok := taskHolds(t, m); ok {
				holder = t
			}
		}
	})
	if holder == nil {
		return 0
	}
	holder.postRemote(m)
	id, _ := heldSnapshot(holder)
	return id
}

// applyRemote applies releases queued by other goroutines.
func (v *Validator) applyRemote(t *task) {
	for _, m := range t.takeRemote() {
		v.releaseFrom(t, m)
	}
}

func (v *Validator) maybeDrop(t *task) {
	if t.slot < 0 && t.depth == 0 && len(t.extra) == 0 && !t.pending.Load() {
		v.tasks.drop(t)
	}
}

// releaseFrom removes m from t's held locks; it reports whether t held it.
func (v *Validator) releaseFrom(t *task, m *Map) bool {
	d := t.depth
	if d > 0 && t.held[d-1].m == m && !t.held[d-1].merged {
		if t.held[d-1].since != 0 {
			releasedStat(&t.held[d-1])
		}
		// The entry is left as it is: only held[:depth] is ever read, and
		// not clearing it saves write barriers on the fast path. A stale
		// entry keeps at most one lock per level reachable.
		t.depth = d - 1
		return true
	}
	i := t.find(m)
	if i < 0 {
		for j := len(t.extra) - 1; j >= 0; j-- {
			if t.extra[j] == m {
				t.extra = append(t.extra[:j], t.extra[j+1:]...)
				return true
			}
		}
		return false
	}
	if t.held[i].refs > 1 {
		// A merged nest-lock entry: its Map stands for the whole class.
		t.held[i].refs--
		return true
	}
	if t.held[i].since != 0 {
		releasedStat(&t.held[i])
	}
	copy(t.held[i:d], t.held[i+1:d])
	t.depth = d - 1
	v.reacquire(t, i)
	return true
}

// reacquire recomputes the chain of held locks from index i up, after a
// lock beneath them was released or changed, and validates every chain not
// seen before, as if those locks had just been taken again.
func (v *Validator) reacquire(t *task, i int) {
	for j := i; j < t.depth; j++ {
		h := &t.held[j]
		var prev uint64
		if j > 0 {
			prev = t.held[j-1].chainKey
		}
		h.chainKey = chainHash(prev, h.class.id, h.mode, h.try)
		if h.try || v.stopped.Load() || v.chains.Load().contains(h.chainKey) {
			continue
		}
		v.validate(t, j)
	}
}
