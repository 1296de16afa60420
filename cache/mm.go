package cache

import (
	"fmt"
	"sync"

	"github.com/golockdep/lockdep/locks"
)

// VMOps are a file system's fault handlers for a mapping of a file.
type VMOps interface {
	// Fault handles a fault on file page idx (the ->fault method) with
	// the task's mmap_lock held for read. It returns the page locked.
	Fault(t *Task, v *VMA, idx uint64) (*Page, error)
	// PageMkwrite makes a page about to become writable ready: it returns
	// with the page locked and dirty, or false if the page went away.
	PageMkwrite(t *Task, v *VMA, p *Page) (bool, error)
}

// DAXOps is implemented by file systems whose mappings map device blocks
// directly (DAX): the fault maps the block with InstallDAX while it holds
// what keeps the block from being freed.
type DAXOps interface {
	DAXFault(t *Task, v *VMA, idx, vpn uint64, write bool) error
}

// InstallDAX maps device block b at vpn for file page idx of v.
func (v *VMA) InstallDAX(vpn uint64, b int64, write bool) {
	v.MM.install(vpn, &PTE{Blk: b, Writable: write, owner: Owner{v.File.Host, v.Pgoff + vpn - v.Start}})
}

// MM is a process's address space: mmap_lock, the VMAs, and a page table
// guarded by the page-table lock (a leaf, not validated).
type MM struct {
	W        *World
	Name     string
	MmapLock locks.RWSem

	vmas    []*VMA // guarded by MmapLock
	nextVpn uint64 // guarded by MmapLock

	ptl  sync.Mutex
	ptes map[uint64]*PTE // guarded by ptl
}

// PTE maps one virtual page: a page-cache page, a DAX block, or anonymous
// memory.
type PTE struct {
	Page     *Page
	Blk      int64 // DAX block, when Page is nil and Anon is nil
	Anon     *Stamp
	Writable bool
	owner    Owner // the file page a DAX block was mapped for
}

// VMA is one mapping in a process: anonymous memory when File is nil.
type VMA struct {
	MM       *MM
	Start    uint64 // first virtual page number
	Npages   uint64
	File     *Mapping
	Ops      VMOps
	Pgoff    uint64
	Writable bool
}

// NewMM returns an empty address space.
func NewMM(w *World, name string) *MM {
	mm := &MM{W: w, Name: name, ptes: make(map[uint64]*PTE), nextVpn: 0x1000}
	mm.MmapLock.Init(fmt.Sprintf("mmap_lock(%s)", name), &mmapKey)
	w.Track(&mm.MmapLock)
	return mm
}

// Mmap maps n pages of file m from page pgoff (m nil: anonymous memory)
// and returns the first virtual page. It takes mmap_lock exclusive, then
// the file's i_mmap_rwsem exclusive to link the VMA for unmapping.
func (mm *MM) Mmap(m *Mapping, ops VMOps, pgoff, n uint64, writable bool) uint64 {
	mm.MmapLock.DownWrite()
	defer mm.MmapLock.UpWrite()
	v := &VMA{MM: mm, Start: mm.nextVpn, Npages: n, File: m, Ops: ops, Pgoff: pgoff, Writable: writable}
	mm.nextVpn += n + 16
	mm.vmas = append(mm.vmas, v)
	if m != nil {
		m.IMmapRwsem.DownWrite()
		m.vmas = append(m.vmas, v)
		m.IMmapRwsem.UpWrite()
	}
	return v.Start
}

func (mm *MM) findVMALocked(vpn uint64) *VMA {
	for _, v := range mm.vmas {
		if vpn >= v.Start && vpn < v.Start+v.Npages {
			return v
		}
	}
	return nil
}

// zap removes the PTEs of file pages [start, end) of this VMA.
func (v *VMA) zap(start, end uint64) {
	mm := v.MM
	mm.ptl.Lock()
	for idx := max(start, v.Pgoff); idx < end && idx < v.Pgoff+v.Npages; idx++ {
		delete(mm.ptes, v.Start+idx-v.Pgoff)
	}
	mm.ptl.Unlock()
}

// wrprotect makes the PTE of file page idx read-only.
func (v *VMA) wrprotect(idx uint64) {
	if idx < v.Pgoff || idx >= v.Pgoff+v.Npages {
		return
	}
	mm := v.MM
	mm.ptl.Lock()
	if pte := mm.ptes[v.Start+idx-v.Pgoff]; pte != nil {
		pte.Writable = false
	}
	mm.ptl.Unlock()
}

// install sets a PTE.
func (mm *MM) install(vpn uint64, pte *PTE) {
	mm.ptl.Lock()
	mm.ptes[vpn] = pte
	mm.ptl.Unlock()
}

// faultLocked handles a fault at vpn with mmap_lock held for read.
func (mm *MM) faultLocked(t *Task, vpn uint64, write bool) error {
	v := mm.findVMALocked(vpn)
	if v == nil || (write && !v.Writable) {
		return ErrFault
	}
	if v.File == nil {
		mm.ptl.Lock()
		if mm.ptes[vpn] == nil {
			mm.ptes[vpn] = &PTE{Anon: &Stamp{}, Writable: true}
		}
		mm.ptl.Unlock()
		return nil
	}
	idx := v.Pgoff + vpn - v.Start
	if d, ok := v.Ops.(DAXOps); ok {
		return d.DAXFault(t, v, idx, vpn, write)
	}
	mm.ptl.Lock()
	pte := mm.ptes[vpn]
	mm.ptl.Unlock()
	var p *Page
	if pte != nil && pte.Page != nil {
		p = pte.Page
	} else {
		var err error
		if p, err = v.Ops.Fault(t, v, idx); err != nil {
			return err
		}
		if !write {
			mm.install(vpn, &PTE{Page: p})
			p.Lock.Unlock()
			return nil
		}
		p.Lock.Unlock()
	}
	// A write to a shared file mapping: page_mkwrite, then a writable PTE
	// installed while the page is still locked.
	ok, err := v.Ops.PageMkwrite(t, v, p)
	if err != nil || !ok {
		return err // retried by the caller when !ok
	}
	mm.install(vpn, &PTE{Page: p, Writable: true})
	p.Lock.Unlock()
	return nil
}
