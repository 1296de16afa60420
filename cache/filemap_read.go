package cache

import "errors"

// ErrSigbus is a fault beyond the end of the file.
var ErrSigbus = errors.New("SIGBUS: fault beyond end of file")

// ErrFault is an access to user memory that is not mapped.
var ErrFault = errors.New("EFAULT: bad user address")

// ReadPage is filemap_read for one page, into the kernel: a cached,
// uptodate page is read with no lock but the page's own state; a missing
// page is read ahead, and a page that is not uptodate is brought uptodate
// under the add lock (invalidate_lock shared) and the page lock. The data
// is checked by the oracle against the file's content since t0.
func (m *Mapping) ReadPage(t *Task, idx uint64, t0 uint64, what string) Stamp {
	for {
		p := m.FindPage(idx)
		if p == nil {
			m.Readahead(t, idx, 4)
			continue
		}
		if p.Uptodate() {
			s := p.Data()
			if p.Mapping() == m || p.Mapping() == nil {
				m.W.Oracle.CheckRead(m.Host, idx, s, t0, what)
				return s
			}
		}
		if s, ok := m.updatePage(t, p); ok {
			m.W.Oracle.CheckRead(m.Host, idx, s, t0, what)
			return s
		}
	}
}

// updatePage is filemap_update_page: bring a cached page uptodate.
func (m *Mapping) updatePage(t *Task, p *Page) (Stamp, bool) {
	unlock := m.lockAdd(t)
	defer unlock()
	if !m.lockPage(p) {
		return Stamp{}, false
	}
	defer p.Lock.Unlock()
	if !p.Uptodate() {
		m.fillLocked(t, p)
	}
	return p.Data(), true
}

// Readahead brings up to n pages from idx into the cache: under the add
// lock it inserts new locked pages, reads them and unlocks them
// (page_cache_ra_unbounded), all in a no-fs scope: its allocations never
// recurse into the file system (memalloc_nofs_save, as seed 001's diff
// shows).
func (m *Mapping) Readahead(t *Task, idx uint64, n int) {
	defer t.MemallocNofsSave()()
	unlock := m.lockAdd(t)
	defer unlock()
	m.W.MightAlloc(t)
	var ps []*Page
	for i := uint64(0); i < uint64(n); i++ {
		if m.FindPage(idx+i) != nil {
			if i == 0 {
				continue
			}
			break
		}
		if p, ok := m.addNewLocked(idx + i); ok {
			ps = append(ps, p)
		}
	}
	m.W.Sched.Point("readahead:pages-added")
	for _, p := range ps {
		m.fillLocked(t, p)
		p.Lock.Unlock()
	}
}

// ReadMappingPage returns page idx uptodate, for callers that hold
// invalidate_lock already (read_mapping_folio): it adds and fills the page
// without taking the add lock again.
func (m *Mapping) ReadMappingPage(t *Task, idx uint64) *Page {
	m.InvalidateLock.AssertHeld()
	for {
		p := m.FindPage(idx)
		if p == nil {
			m.W.MightAlloc(t) // do_read_cache_folio: the mapping's gfp mask
			np, ok := m.addNewLocked(idx)
			if !ok {
				continue
			}
			m.fillLocked(t, np)
			np.Lock.Unlock()
			return np
		}
		if p.Uptodate() {
			return p
		}
		if !m.lockPage(p) {
			continue
		}
		if !p.Uptodate() {
			m.fillLocked(t, p)
		}
		p.Lock.Unlock()
		return p
	}
}

// InvalidateLockTwo is filemap_invalidate_lock_two: both mappings'
// invalidate_lock exclusive, ordered by address, the second with subclass
// 1 (SINGLE_DEPTH_NESTING).
func InvalidateLockTwo(m1, m2 *Mapping) {
	a, b := orderByAddr(m1, m2)
	a.InvalidateLock.DownWrite()
	if b != nil {
		b.InvalidateLock.DownWriteNested(1)
	}
}

// InvalidateUnlockTwo undoes InvalidateLockTwo.
func InvalidateUnlockTwo(m1, m2 *Mapping) {
	a, b := orderByAddr(m1, m2)
	if b != nil {
		b.InvalidateLock.UpWrite()
	}
	a.InvalidateLock.UpWrite()
}

// orderByAddr orders two mappings by the address of their invalidate_lock
// (the identity lockdep.OrderByAddress compares); b is nil if they are one.
func orderByAddr(m1, m2 *Mapping) (a, b *Mapping) {
	if m1 == m2 {
		return m1, nil
	}
	if m1.InvalidateLock.LockdepMap().Addr() > m2.InvalidateLock.LockdepMap().Addr() {
		return m2, m1
	}
	return m1, m2
}
