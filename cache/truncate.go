package cache

// TruncatePagecacheRange removes pages [start, end) from the cache
// (truncate_pagecache_range): unmap them from every process, then lock
// each page and delete it (dirty data is dropped), then unmap again for
// faults that raced in. The caller holds what its design holds to keep
// faults out (invalidate_lock exclusive, in correct designs).
func (m *Mapping) TruncatePagecacheRange(t *Task, start, end uint64) {
	m.UnmapRange(start, end)
	for _, p := range m.pagesIn(start, end) {
		p.Lock.Lock()
		if p.Mapping() == m {
			m.deleteLocked(p)
		}
		p.Lock.Unlock()
	}
	m.UnmapRange(start, end)
}

// InvalidatePages2Range is invalidate_inode_pages2_range, used around
// direct I/O: clean pages in [start, end) are unmapped and dropped; dirty
// ones stay, and it returns false.
func (m *Mapping) InvalidatePages2Range(t *Task, start, end uint64) bool {
	ok := true
	for _, p := range m.pagesIn(start, end) {
		p.Lock.Lock()
		switch {
		case p.Mapping() != m:
		case p.Dirty():
			ok = false
		default:
			m.unmapPage(p)
			m.deleteLocked(p)
		}
		p.Lock.Unlock()
	}
	return ok
}

// UnmapRange removes every process's mapping of file pages [start, end)
// (unmap_mapping_range), under i_mmap_rwsem shared.
func (m *Mapping) UnmapRange(start, end uint64) {
	m.IMmapRwsem.DownRead()
	defer m.IMmapRwsem.UpRead()
	for _, v := range m.vmas {
		v.zap(start, end)
	}
}

func (m *Mapping) unmapPage(p *Page) { m.UnmapRange(p.Idx, p.Idx+1) }

// mkclean write-protects every mapping of a locked page (page_mkclean).
func (m *Mapping) mkclean(p *Page) {
	m.IMmapRwsem.DownRead()
	defer m.IMmapRwsem.UpRead()
	for _, v := range m.vmas {
		v.wrprotect(p.Idx)
	}
}
