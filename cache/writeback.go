package cache

// WriteAndWaitRange is filemap_write_and_wait_range over pages [start,
// end): do_writepages, then filemap_fdatawait. Each dirty page is locked,
// cleaned (its mappings write-protected, so the next store faults into
// page_mkwrite again) and written through the file system's WritePage,
// inside what the file system's WritepagesStarter starts first (ext4's
// journal handle). The oracle checks the data written back is still the
// file's.
func (m *Mapping) WriteAndWaitRange(t *Task, start, end uint64) {
	starter, _ := m.Ops.(WritepagesStarter)
	for _, p := range m.pagesIn(start, end) {
		if !p.Dirty() && !p.Lock.TestFlag(pgWriteback) {
			continue
		}
		end := func() {}
		if starter != nil {
			end = starter.StartWritepages(t)
		}
		// A page under writeback is locked by it: locking it waits for
		// the writeback to finish (filemap_fdatawait).
		if m.lockPage(p) {
			m.writeLocked(t, p)
			p.Lock.Unlock()
		}
		end()
	}
}

func (m *Mapping) writeLocked(t *Task, p *Page) {
	// Writeback is set before dirty is cleared, so that a waiter that
	// looks without the page lock sees one or the other (the page
	// cache's dirty and writeback tags change together).
	p.Lock.SetFlag(pgWriteback)
	if !p.Lock.ClearFlag(pgDirty) {
		p.Lock.ClearFlag(pgWriteback)
		return
	}
	m.mkclean(p)
	s := p.Data()
	m.W.Oracle.checkWriteback(m.Host, p.Idx, s, "writeback")
	m.W.Sched.Point("writeback:page")
	m.Ops.WritePage(t, p, s)
	p.Lock.ClearFlag(pgWriteback)
}

// Writeback writes back every dirty page (the flusher thread's work).
func (m *Mapping) Writeback(t *Task) { m.WriteAndWaitRange(t, 0, ^uint64(0)) }
