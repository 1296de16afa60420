package cache

import (
	"fmt"
	"sync/atomic"

	"github.com/golockdep/lockdep/locks"
)

// Page is one page of the page cache: its lock (a bit in its flags word,
// like PG_locked), its state bits, its index, the mapping it belongs to
// (nil once truncated out) and its data. All pages of one kind of mapping
// share a lock class, as the kernel's do.
type Page struct {
	Lock    locks.PageLock
	Idx     uint64
	host    uint64 // the inode number of the mapping it was created in
	mapping atomic.Pointer[Mapping]
	data    atomic.Pointer[Stamp]
}

// Page flag bits kept in the page lock's flags word.
const (
	pgUptodate = locks.FirstFreeFlag + iota
	pgDirty
	pgWriteback
)

func newPage(m *Mapping, idx uint64) *Page {
	p := &Page{Idx: idx, host: m.Host}
	p.Lock.Init(fmt.Sprintf("%s:page(ino %d idx %d)", m.Keys.Name, m.Host, idx), &m.Keys.Page)
	if d := p.Lock.LockdepMap(); d != nil { // nil when built with lockdep_off
		d.SetOrder(pageOrder(idx, m.Host))
	}
	p.mapping.Store(m)
	p.data.Store(&Stamp{})
	m.W.Track(&p.Lock)
	return p
}

// Mapping returns the mapping the page is in, or nil if it was removed.
func (p *Page) Mapping() *Mapping { return p.mapping.Load() }

// Data returns the page's data.
func (p *Page) Data() Stamp { return *p.data.Load() }

// SetData replaces the page's data.
func (p *Page) SetData(s Stamp) { p.data.Store(&s) }

// Uptodate reports PG_uptodate.
func (p *Page) Uptodate() bool { return p.Lock.TestFlag(pgUptodate) }

// Dirty reports PG_dirty.
func (p *Page) Dirty() bool { return p.Lock.TestFlag(pgDirty) }

// SetDirty sets PG_dirty (set_page_dirty).
func (p *Page) SetDirty() { p.Lock.SetFlag(pgDirty) }

// pageOrder is a page's position in the order two pages of one class are
// locked in: by index, then by inode number (see LockTwoPages). The index
// takes the high 32 bits, the inode number the low 32.
func pageOrder(idx, host uint64) uint64 {
	if idx >= 1<<32 || host >= 1<<32 {
		panic(fmt.Sprintf("cache: page %d of ino %d is beyond the page order's range", idx, host))
	}
	return idx<<32 | host
}

// LockTwoPages locks two pages in the order of vfs_lock_two_folios
// (fs/remap_range.c, the dedupe compare): increasing index. The kernel
// leaves two pages of equal index in the order they were passed (source,
// then destination), which is safe there because both files'
// invalidate_locks are held exclusive; the model breaks the tie by inode
// number so that the order is total and the validator can check it (the
// page class's instance order, set by RegisterKeys).
func LockTwoPages(a, b *Page) {
	first, second := orderPages(a, b)
	first.Lock.Lock()
	if second != nil {
		second.Lock.Lock()
	}
}

// UnlockTwoPages undoes LockTwoPages.
func UnlockTwoPages(a, b *Page) {
	first, second := orderPages(a, b)
	if second != nil {
		second.Lock.Unlock()
	}
	first.Lock.Unlock()
}

// orderPages returns the two pages in locking order; second is nil if
// they are one page.
func orderPages(a, b *Page) (first, second *Page) {
	if a == b {
		return a, nil
	}
	if pageOrder(a.Idx, a.host) > pageOrder(b.Idx, b.host) {
		return b, a
	}
	return a, b
}
