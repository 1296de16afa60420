package cache

// FilemapFault is filemap_fault: called with the task's mmap_lock held for
// read, it returns page idx locked and uptodate, or ErrSigbus for a page
// at or beyond the end of the file. A cached, uptodate page costs only its
// page lock; otherwise the add lock (invalidate_lock shared) is held while
// the page is found or created and read, and dropped before returning:
// the locked page is enough from there on. bcachefs's fault takes its add
// lock around the whole fault (bch2_page_fault).
//
// i_size is checked on entry and again under the page lock, as
// filemap_fault does ("We must recheck i_size under page lock"): a
// truncate sets i_size before it removes pages, and locks each page to
// remove it, so a fault that checked the old size and then found, or
// added, its page after the truncate went past that index sees the new
// size. That second check is what keeps such a fault from mapping a page
// beyond EOF when nothing else (invalidate_lock) keeps it out.
func (m *Mapping) FilemapFault(t *Task, idx uint64) (*Page, error) {
	if idx >= m.Ops.Size() {
		return nil, ErrSigbus
	}
	m.W.Sched.Point("fault:size-checked")
	if m.Guard == GuardTwoState || m.Guard == GuardFaultsOnly {
		// bch2_page_fault takes its add lock around filemap_fault, and
		// ext4_filemap_fault took i_mmap_sem around it.
		unlock, err := m.LockAddFault(t)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	for {
		p := m.FindPage(idx)
		if p != nil && p.Uptodate() {
			if !m.lockPage(p) {
				continue
			}
		} else if p = m.faultFill(t, idx); p == nil {
			continue
		}
		if !m.NoSizeRecheck && idx >= m.Ops.Size() {
			p.Lock.Unlock()
			return nil, ErrSigbus
		}
		return p, nil
	}
}

func (m *Mapping) faultFill(t *Task, idx uint64) *Page {
	if m.Guard != GuardTwoState && m.Guard != GuardFaultsOnly {
		unlock, _ := m.LockAddFault(t) // fails only under GuardTwoState
		defer unlock()
	}
	m.W.Sched.Point("fault:fill")
	p := m.FindPage(idx)
	if p == nil {
		m.W.MightAlloc(t) // __filemap_get_folio(FGP_CREAT): mapping_gfp_mask allows fs reclaim
		np, ok := m.addNewLocked(idx)
		if !ok {
			return nil
		}
		p = np
	} else if !m.lockPage(p) {
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
	if !m.lockPage(p) {
		return false
	}
	p.SetDirty()
	return true
}
