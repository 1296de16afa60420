package cache

// FilemapFault is filemap_fault: called with the task's mmap_lock held for
// read, it returns page idx locked and uptodate. A cached, uptodate page
// costs only its page lock; otherwise the add lock (invalidate_lock shared)
// is held while the page is found or created and read, and dropped before
// returning: the locked page is enough from there on. bcachefs's fault
// takes its add lock around the whole fault.
func (m *Mapping) FilemapFault(t *Task, idx uint64) *Page {
	if m.Guard == GuardTwoState {
		unlock := m.lockAdd(t)
		defer unlock()
	}
	for {
		p := m.FindPage(idx)
		if p != nil && p.Uptodate() {
			if m.LockPage(p) {
				return p
			}
			continue
		}
		if p := m.faultFill(t, idx); p != nil {
			return p
		}
	}
}

func (m *Mapping) faultFill(t *Task, idx uint64) *Page {
	if m.Guard != GuardTwoState {
		unlock := m.lockAdd(t)
		defer unlock()
	}
	m.W.Sched.Point("fault:fill")
	p := m.FindPage(idx)
	if p == nil {
		np, ok := m.addNewLocked(idx)
		if !ok {
			return nil
		}
		p = np
	} else if !m.LockPage(p) {
		return nil
	}
	if !p.Uptodate() {
		m.fillLocked(t, p)
	}
	return p
}

// PageMkwrite is the generic part of page_mkwrite: lock the page, check it
// is still in the mapping, dirty it. It returns with the page locked, or
// false if the page was truncated (the fault is retried). The file system
// wraps it with its own locks.
func (m *Mapping) PageMkwrite(t *Task, p *Page) bool {
	if !m.LockPage(p) {
		return false
	}
	p.SetDirty()
	return true
}
