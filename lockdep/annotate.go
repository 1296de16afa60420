package lockdep

import "fmt"

// IsHeld reports whether the calling goroutine holds m (in any mode).
func (m *Map) IsHeld() bool {
	if !Enabled {
		return true
	}
	_, ok := m.heldMode()
	return ok
}

func (m *Map) heldMode() (Mode, bool) {
	v := m.validator()
	t := v.tasks.find(curGoid())
	if t == nil {
		return 0, false
	}
	if t.pending.Load() {
		v.applyRemote(t)
		t.publish()
	}
	if i := t.find(m); i >= 0 {
		return t.held[i].mode, true
	}
	return 0, false
}

// AssertHeld reports an AssertFailed unless the calling goroutine holds m.
func (m *Map) AssertHeld() { m.assert("held", func(_ Mode, ok bool) bool { return ok }) }

// AssertHeldRead reports an AssertFailed unless m is held for reading.
func (m *Map) AssertHeldRead() {
	m.assert("held for read", func(md Mode, ok bool) bool { return ok && md.reader() })
}

// AssertHeldWrite reports an AssertFailed unless m is held exclusively.
func (m *Map) AssertHeldWrite() {
	m.assert("held for write", func(md Mode, ok bool) bool { return ok && !md.reader() })
}

// AssertNotHeld reports an AssertFailed if the calling goroutine holds m.
func (m *Map) AssertNotHeld() { m.assert("not held", func(_ Mode, ok bool) bool { return !ok }) }

func (m *Map) assert(what string, pass func(Mode, bool) bool) {
	if !Enabled {
		return
	}
	md, ok := m.heldMode()
	if pass(md, ok) {
		return
	}
	v := m.validator()
	r := v.base(AssertFailed, v.tasks.find(curGoid()), 4)
	ref := mapRef(m, 0, md)
	r.Lock = &ref
	r.Classes = []string{ref.Class, what}
	state := "not held"
	if ok {
		state = "held for " + md.String()
	}
	r.Message = fmt.Sprintf("lock %s was asserted %s, but it is %s", m, what, state)
	v.report(r)
}

// MightLock records the dependencies that taking m in mode would create,
// without taking it: for functions that lock only sometimes, so that the
// order is validated on every call.
func (m *Map) MightLock(sub int, mode Mode) {
	if !Enabled {
		return
	}
	m.acquire(sub, mode, false, nil)
	m.Release()
}

// SetClass moves a held lock to another class (key and subclass) and name,
// like the kernel's lock_set_class; later acquisitions use the new class.
// The locks held above it are validated again against it. It returns false
// if the calling goroutine does not hold m.
func (m *Map) SetClass(name string, key *Key, sub int) bool {
	if !Enabled {
		return true
	}
	v := m.validator()
	t := v.tasks.find(curGoid())
	if t == nil || uint(sub) > MaxSubclass {
		return false
	}
	i := t.find(m)
	if i < 0 || t.held[i].m != m {
		return false
	}
	m.name, m.key = name, key
	for j := range m.cache {
		m.cache[j].Store(nil)
	}
	c := m.classFor(v, sub)
	if c == nil {
		return false
	}
	t.held[i].class, t.held[i].sub = c, uint8(sub)
	v.reacquire(t, i)
	t.publish()
	return true
}

// Downgrade turns an exclusive hold of m into a shared one, as
// downgrade_write does; the locks above it are validated again.
//
// A goroutine that does not hold m for writing gets a BadUnlock report
// (the kernel warns the same way with DEBUG_RWSEMS), and false.
func (m *Map) downgrade() bool {
	if !Enabled {
		return true
	}
	v := m.validator()
	t := v.tasks.find(curGoid())
	i := -1
	if t != nil {
		i = t.find(m)
	}
	if i < 0 || t.held[i].mode != Exclusive {
		r := v.badUnlockReport(m, Exclusive, true, 0)
		r.Message = "downgrade of a lock this goroutine does not hold for writing; the lock was downgraded as asked"
		v.report(r)
		return false
	}
	t.held[i].mode = Shared
	v.reacquire(t, i)
	t.publish()
	return true
}

// HeldLocks returns the locks the calling goroutine holds, outermost first.
func (v *Validator) HeldLocks() []LockRef {
	t := v.tasks.find(curGoid())
	if t == nil {
		return nil
	}
	if t.pending.Load() {
		v.applyRemote(t)
		t.publish()
	}
	return heldRefs(t)
}

// GoroutineLocks is one goroutine's held locks in a dump.
type GoroutineLocks struct {
	Goroutine int64
	Locks     []LockRef
}

// AllHeldLocks returns every goroutine's held locks, like the kernel's
// "show all locks" (SysRq-d). The lists are read without stopping the
// goroutines, so a busy goroutine's list may be a moment out of date.
func (v *Validator) AllHeldLocks() []GoroutineLocks {
	var out []GoroutineLocks
	v.tasks.each(func(t *task) {
		id, held := t.visibleHeld()
		if len(held) == 0 {
			return
		}
		g := GoroutineLocks{Goroutine: id}
		for i := range held {
			if held[i].m != nil && held[i].class != nil {
				g.Locks = append(g.Locks, refOf(&held[i]))
			}
		}
		out = append(out, g)
	})
	return out
}

// FormatAllHeldLocks renders AllHeldLocks as text.
func FormatAllHeldLocks(gs []GoroutineLocks) string {
	s := "\nShowing all locks held in the system:\n"
	if len(gs) == 0 {
		return s + "  (none)\n"
	}
	for _, g := range gs {
		s += fmt.Sprintf("%d locks held by goroutine %d:\n", len(g.Locks), g.Goroutine)
		for i, l := range g.Locks {
			s += fmt.Sprintf(" #%d: %s\n", i, l)
		}
	}
	return s
}
