package lockdep

// Release records that the calling goroutine released the lock. Locks may
// be released in any order. It returns false if the goroutine does not hold
// it; package locks then decides, knowing whether the lock is locked at
// all, and tells the validator (releaseForeign or releaseUnlocked, through
// internal/plumbing).
func (m *Map) Release() bool {
	if !Enabled {
		return true
	}
	v := m.validator()
	t := v.tasks.ownTask(false)
	if t == nil {
		return false
	}
	// The common case: the lock on top, taken once, no statistics, no
	// queued work.
	if d := t.depth; d > 0 && !t.pending.Load() {
		if h := &t.held[d-1]; h.m == m && !h.merged && h.since == 0 && h.token == nil {
			t.depth = d - 1
			t.publish()
			if d == 1 && !t.untracked() {
				// settle, written out for a table slot: a call less
				// per outermost release.
				if t.slot >= 0 && !t.pending.Load() {
					t.depthReported = false
					v.tasks.clearActive(t)
				} else {
					v.tasks.settle(t)
				}
			}
			return true
		}
	}
	ok := v.release(t, m)
	t.publish()
	v.tasks.settle(t)
	return ok
}

func (v *Validator) release(t *task, m *Map) bool {
	if t.pending.Load() {
		v.applyRemote(t)
	}
	return v.releaseFrom(t, m, false)
}

// releaseForeign records that the calling goroutine, which does not hold
// the lock, released it while it was locked in mode: Go lets any goroutine
// unlock a sync.Mutex or RWMutex. The goroutine that held it stops holding
// it. Under Go's rules (the default) this is not a problem; under the
// kernel's (Options.Rules) it is a BadUnlock report. It returns whether a
// goroutine holding the lock in mode was found: a caller that cannot tell
// by itself whether the lock is locked (a read lock) treats false as "not
// locked" and calls releaseUnlocked instead of unlocking.
//
// When several goroutines hold the lock for reading, the validator cannot
// know whose read hold was handed over. It then charges none of them: each
// reader stops contributing dependencies through this lock, and the
// reader's own later release is accepted silently. That loses some
// dependencies and never invents one.
func (m *Map) releaseForeign(mode Mode) bool {
	if !Enabled {
		return true
	}
	v := m.validator()
	holder, found := v.releaseForeign(m, mode)
	if v.currentRules() == KernelRules {
		v.report(v.badUnlockReport(m, mode, found, holder))
	}
	return found
}

// releaseUnlocked reports the release of a lock that is not locked in mode
// at all (a double unlock); the caller leaves the lock untouched instead of
// crashing.
func (m *Map) releaseUnlocked(mode Mode) {
	if !Enabled {
		return
	}
	v := m.validator()
	v.report(v.badUnlockReport(m, mode, false, 0))
}

// releaseNonOwner releases a lock that another goroutine acquired, on
// purpose: ownership was handed over (the kernel's up_read_non_owner). No
// report is made under either rules; the acquiring goroutine stops holding
// the lock.
func (m *Map) releaseNonOwner() {
	if !Enabled {
		return
	}
	if !m.Release() {
		m.validator().releaseForeign(m, Exclusive)
	}
}

// releaseForeign finds the goroutines that hold m in mode (any reader mode
// for a reader), queues the release for them, and returns the holder's id
// (0 when there are several readers) and whether any was found.
func (v *Validator) releaseForeign(m *Map, mode Mode) (int64, bool) {
	self := curGoid()
	match := func(t *task) bool {
		if heldGoid(t) == self {
			return false
		}
		// Holds of m in this mode (a goroutine may hold several read
		// holds, and wait to write besides), less the releases queued.
		return taskHoldsGranted(t, m, mode) > t.pendingFor(m)
	}
	// An exclusive lock has one holder, whose id the acquisition left in
	// the Map: look there first.
	if !mode.reader() {
		if id := m.holderHint(); id != 0 {
			if t := v.tasks.find(id); t != nil && match(t) {
				t.postRemote(m, id, false)
				v.retractForeign(m, id)
				return id, true
			}
		}
	}
	var holders []*task
	v.tasks.each(func(t *task) {
		if len(holders) < maxForeignCandidates && match(t) {
			holders = append(holders, t)
		}
	})
	switch len(holders) {
	case 0:
		return 0, false
	case 1:
		id := heldGoid(holders[0])
		holders[0].postRemote(m, id, false)
		v.retractForeign(m, id)
		return id, true
	}
	for _, t := range holders {
		id := heldGoid(t)
		t.postRemote(m, id, true)
		v.retractForeign(m, id)
	}
	return 0, true
}

// retractForeign retracts at once what the released hold taught (hold.go),
// rather than when its owner next applies the queued release.
func (v *Validator) retractForeign(m *Map, goid int64) {
	v.mu.Lock()
	out := v.retractForeignLocked(m, goid)
	v.mu.Unlock()
	v.deliver(out)
}

// writeHeldByOther reports whether a goroutine other than the caller holds
// m exclusively (granted, not waiting for it), as far as the validator
// knows: for lock types that cannot tell a write hold from read holds
// with a writer waiting (sync.RWMutex).
func (m *Map) writeHeldByOther() bool {
	if !Enabled {
		return false
	}
	v := m.validator()
	self := curGoid()
	found := false
	v.tasks.each(func(t *task) {
		if !found && heldGoid(t) != self {
			found = taskHoldsGranted(t, m, Exclusive) > t.pendingFor(m)
		}
	})
	return found
}

// maxForeignCandidates bounds the readers an ambiguous foreign read unlock
// detaches.
const maxForeignCandidates = 64

// applyRemote applies releases queued by other goroutines.
func (v *Validator) applyRemote(t *task) {
	for _, r := range t.takeRemote() {
		if r.goid != t.goid {
			continue // meant for an earlier owner of this task
		}
		if v.releaseFrom(t, r.m, true) && r.forgive {
			t.addExtra(r.m)
		}
	}
}

// releaseFrom removes m from t's held locks; it reports whether t held it.
// foreign says another goroutine released it: what the hold taught is then
// retracted (hold.go), else confirmed.
func (v *Validator) releaseFrom(t *task, m *Map, foreign bool) bool {
	d := t.depth
	if d > 0 && t.held[d-1].m == m && !t.held[d-1].merged && (!foreign || t.find(m) == t.findOldest(m)) {
		h := &t.held[d-1]
		if h.since != 0 {
			releasedStat(h)
		}
		// The entry is left as it is: only held[:depth] is ever read, and
		// not clearing it saves write barriers on the fast path. A stale
		// entry keeps at most one lock per level reachable.
		t.depth = d - 1
		if tk := h.token; tk != nil {
			h.token = nil
			v.endHold(tk, !foreign)
		}
		return true
	}
	i := t.find(m)
	if foreign {
		i = t.findOldest(m) // see retractForeignLocked
	}
	if i < 0 {
		for j := len(t.extra) - 1; j >= 0; j-- {
			if t.extra[j] == m {
				t.extra = append(t.extra[:j], t.extra[j+1:]...)
				return true
			}
		}
		if t.lost > 0 {
			// Some untracked acquisition was not remembered: this may be
			// its release.
			t.lost--
			return true
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
	tk := t.held[i].token
	copy(t.held[i:d], t.held[i+1:d])
	t.depth = d - 1
	if tk != nil {
		v.endHold(tk, !foreign)
	}
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
