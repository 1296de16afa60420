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
	mapping atomic.Pointer[Mapping]
	data    atomic.Pointer[Stamp]
}

// Page flag bits kept in the page lock's flags word.
const (
	PGUptodate = locks.FirstFreeFlag + iota
	PGDirty
	PGWriteback
)

func newPage(m *Mapping, idx uint64) *Page {
	p := &Page{Idx: idx}
	p.Lock.Init(fmt.Sprintf("%s:page(ino %d idx %d)", m.Keys.Name, m.Host, idx), &m.Keys.Page)
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
func (p *Page) Uptodate() bool { return p.Lock.TestFlag(PGUptodate) }

// Dirty reports PG_dirty.
func (p *Page) Dirty() bool { return p.Lock.TestFlag(PGDirty) }

// SetDirty sets PG_dirty (set_page_dirty).
func (p *Page) SetDirty() { p.Lock.SetFlag(PGDirty) }
