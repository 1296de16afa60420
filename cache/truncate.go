package cache

import "fmt"

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
// ones stay, and it returns false (-EBUSY).
func (m *Mapping) InvalidatePages2Range(t *Task, start, end uint64) bool {
	return m.invalidate2(start, end) == nil
}

// invalidate2 does InvalidatePages2Range and returns the pages it had to
// leave because they were dirty.
func (m *Mapping) invalidate2(start, end uint64) (busy []uint64) {
	for _, p := range m.pagesIn(start, end) {
		p.Lock.Lock()
		switch {
		case p.Mapping() != m:
		case p.Dirty():
			busy = append(busy, p.Idx)
		default:
			m.unmapPage(p)
			m.deleteLocked(p)
		}
		p.Lock.Unlock()
	}
	return busy
}

// InvalidatePostDirectWrite is kiocb_invalidate_post_direct_write: after a
// direct write's data is on the device, drop the cached pages of its range
// again (a fault or read may have brought the old data back while the
// write was in flight). A page dirtied meanwhile cannot be dropped; the
// kernel warns (dio_warn_stale_pagecache), and so does the oracle: the
// cache now holds data the write replaced on the device. what names the
// write.
func (m *Mapping) InvalidatePostDirectWrite(t *Task, start, end uint64, what string) {
	if busy := m.invalidate2(start, end); busy != nil {
		m.W.Oracle.StalePagecache(fmt.Sprintf(
			"%s of ino %d pages [%d, %d): page(s) %v dirtied while it was in flight, invalidation failed "+
				"(dio_warn_stale_pagecache: possible data corruption due to collision with buffered I/O)",
			what, m.Host, start, end, busy))
	}
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
