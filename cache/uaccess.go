package cache

// User memory. Loads and stores first try the page table without any lock
// but the page-table lock, as the hardware does; a missing or read-only
// PTE faults: mmap_lock shared, then the file system's fault handlers.
// Loads and stores of file pages are checked and recorded by the oracle.

const maxFaultRetries = 1000

// Load reads the user page at vpn.
func (mm *MM) Load(t *Task, vpn uint64) (Stamp, error) {
	t0 := mm.W.Oracle.Now()
	for i := 0; i < maxFaultRetries; i++ {
		mm.ptl.Lock()
		if pte := mm.ptes[vpn]; pte != nil {
			s, file, idx := mm.loadLocked(pte)
			mm.ptl.Unlock()
			if file != 0 {
				mm.W.Oracle.CheckRead(file, idx, s, t0, "load through mmap")
			}
			return s, nil
		}
		mm.ptl.Unlock()
		if err := mm.fault(t, vpn, false); err != nil {
			return Stamp{}, err
		}
	}
	return Stamp{}, ErrFault
}

func (mm *MM) loadLocked(pte *PTE) (Stamp, uint64, uint64) {
	switch {
	case pte.Anon != nil:
		return *pte.Anon, 0, 0
	case pte.Page != nil:
		m := pte.Page.Mapping()
		if m == nil {
			return pte.Page.Data(), 0, 0
		}
		return pte.Page.Data(), m.Host, pte.Page.Idx
	}
	return mm.W.Dev.readNoPoint(pte.Blk), pte.owner.File, pte.owner.Idx
}

// FaultInReadable is fault_in_iov_iter_readable for one page: fault the
// user page at vpn in for reading if it is not mapped, and return without
// reading it. generic_perform_write calls it before it locks a page, so
// that the copy under the page lock need not fault.
func (mm *MM) FaultInReadable(t *Task, vpn uint64) error {
	for i := 0; i < maxFaultRetries; i++ {
		mm.ptl.Lock()
		pte := mm.ptes[vpn]
		mm.ptl.Unlock()
		if pte != nil {
			return nil
		}
		if err := mm.fault(t, vpn, false); err != nil {
			return err
		}
	}
	return ErrFault
}

// CopyFromUserAtomic is copy_page_from_iter_atomic for one page: read the
// user page at vpn with page faults disabled. If it is not mapped (it was
// unmapped since FaultInReadable) the copy is short and ErrFault is
// returned without faulting; the caller unlocks its page and retries.
func (mm *MM) CopyFromUserAtomic(t *Task, vpn uint64) (Stamp, error) {
	t0 := mm.W.Oracle.Now()
	mm.ptl.Lock()
	pte := mm.ptes[vpn]
	if pte == nil {
		mm.ptl.Unlock()
		return Stamp{}, ErrFault
	}
	s, file, idx := mm.loadLocked(pte)
	mm.ptl.Unlock()
	if file != 0 {
		mm.W.Oracle.CheckRead(file, idx, s, t0, "copy from a user mapping")
	}
	return s, nil
}

// Store writes s to the user page at vpn.
func (mm *MM) Store(t *Task, vpn uint64, s Stamp) error {
	for i := 0; i < maxFaultRetries; i++ {
		mm.ptl.Lock()
		if pte := mm.ptes[vpn]; pte != nil && pte.Writable {
			mm.storeLocked(pte, s, "store through mmap")
			mm.ptl.Unlock()
			return nil
		}
		mm.ptl.Unlock()
		if err := mm.fault(t, vpn, true); err != nil {
			return err
		}
	}
	return ErrFault
}

func (mm *MM) storeLocked(pte *PTE, s Stamp, what string) {
	switch {
	case pte.Anon != nil:
		*pte.Anon = s
	case pte.Page != nil:
		p := pte.Page
		if m := p.Mapping(); m != nil {
			mm.W.Oracle.Set(m.Host, p.Idx, s, func() { p.SetData(s) })
		} else {
			p.SetData(s)
		}
		p.SetDirty()
	default:
		mm.W.Dev.WriteSet(pte.Blk, pte.owner, s, what)
	}
}

// fault takes mmap_lock shared and handles one fault.
func (mm *MM) fault(t *Task, vpn uint64, write bool) error {
	mm.MmapLock.DownRead()
	defer mm.MmapLock.UpRead()
	return mm.faultLocked(t, vpn, write)
}

// Pinned is a user page pinned by get_user_pages for direct I/O. A page
// of a DAX mapping is a device block: the pin is counted on the block
// (Device.Pin) until Unpin, so that freeing it meanwhile is seen.
type Pinned struct {
	mm  *MM
	pte *PTE
}

// Unpin drops the pin (unpin_user_page) once the I/O is done.
func (p *Pinned) Unpin() {
	if p.pte.Page == nil && p.pte.Anon == nil {
		p.mm.W.Dev.Unpin(p.pte.Blk)
	}
}

// UnpinAll unpins every page of ps.
func UnpinAll(ps []*Pinned) {
	for _, p := range ps {
		p.Unpin()
	}
}

// PinPages is get_user_pages: with mmap_lock shared it faults in and pins
// n user pages from vpn (for write if the I/O will store into them). The
// buffer may map a file, even the file the I/O is for.
func (mm *MM) PinPages(t *Task, vpn, n uint64, write bool) ([]*Pinned, error) {
	mm.MmapLock.DownRead()
	defer mm.MmapLock.UpRead()
	var out []*Pinned
	for i := uint64(0); i < n; i++ {
		var pte *PTE
		for try := 0; pte == nil; try++ {
			if try >= maxFaultRetries {
				UnpinAll(out)
				return nil, ErrFault
			}
			mm.ptl.Lock()
			if p := mm.ptes[vpn+i]; p != nil && (!write || p.Writable) {
				pte = p
				if p.Page == nil && p.Anon == nil {
					mm.W.Dev.Pin(p.Blk, "get_user_pages of a DAX mapping of "+p.owner.String())
				}
			}
			mm.ptl.Unlock()
			if pte == nil {
				if err := mm.faultLocked(t, vpn+i, write); err != nil {
					UnpinAll(out)
					return nil, err
				}
			}
		}
		out = append(out, &Pinned{mm: mm, pte: pte})
	}
	return out, nil
}

// Load reads a pinned page (the source of a direct write).
func (p *Pinned) Load() Stamp {
	p.mm.ptl.Lock()
	defer p.mm.ptl.Unlock()
	s, _, _ := p.mm.loadLocked(p.pte)
	return s
}

// Store writes a pinned page (the destination of a direct read).
func (p *Pinned) Store(s Stamp) {
	p.mm.ptl.Lock()
	defer p.mm.ptl.Unlock()
	p.mm.storeLocked(p.pte, s, "direct read into a pinned page")
}
