package cache

import (
	"fmt"
	"sort"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

// AddressSpaceOps are the file system's callbacks, called with the page
// locked.
type AddressSpaceOps interface {
	// ReadPage returns the page's data from the file's block map.
	ReadPage(t *Task, p *Page) Stamp
	// WritePage writes s to the page's block, allocating it if needed.
	WritePage(t *Task, p *Page, s Stamp)
	// Size is the file's size in pages (i_size_read).
	Size() uint64
}

// WritepagesStarter is implemented by file systems whose ->writepages
// starts something before it locks the pages it writes back:
// ext4_do_writepages starts the journal handle before
// mpage_prepare_extent_to_map locks folios, so the handle comes before
// the page lock. WriteAndWaitRange calls StartWritepages before it locks
// a dirty page and the function returned after it unlocks the page;
// WritePage runs inside.
type WritepagesStarter interface {
	StartWritepages(t *Task) (end func())
}

// Guard is what serialises adding pages to the cache against removing
// them while the block map changes: the design choice the seeds argue about.
type Guard int

const (
	// GuardInvalidateLock is Linux 5.15 and later: invalidate_lock shared
	// to add pages, exclusive to remove them and change the block map.
	GuardInvalidateLock Guard = iota
	// GuardNone is the page cache before invalidate_lock: fills take no
	// lock, and nothing stops a fault between punch and block freeing.
	GuardNone
	// GuardTwoState is bcachefs's pagecache add/block lock.
	GuardTwoState
	// GuardFaultsOnly is ext4 from 4.5 to 5.15 (and XFS's MMAPLOCK
	// before it covered reads): a per-inode lock (ext4's i_mmap_sem,
	// modelled by InvalidateLock) taken shared by faults and
	// page_mkwrite and exclusive by punch and truncate, but not by
	// read(2) or readahead, which add pages with no lock.
	GuardFaultsOnly
)

// LocksOutFaults reports whether punch and truncate take InvalidateLock
// exclusive under this guard.
func (g Guard) LocksOutFaults() bool { return g == GuardInvalidateLock || g == GuardFaultsOnly }

// Mapping is an address_space: the page index, invalidate_lock,
// i_mmap_rwsem and the VMAs that map the file.
type Mapping struct {
	W    *World
	Host uint64 // inode number
	Keys *Keys
	Ops  AddressSpaceOps

	Guard Guard
	// RecursionAware makes a fault by a task that holds this mapping's
	// pagecache lock in the block state skip the add state (Kent
	// Overstreet's task pointer), for GuardTwoState.
	RecursionAware bool
	// TrylockUnderBlock makes a fault by a task that holds some mapping's
	// pagecache lock in the block state only try the add state: on this
	// mapping it fails with SIGBUS, on another whose block state is held
	// it fails with *AddBusy, and the direct write drops its block state,
	// waits and retries (bch2_page_fault with faults_disabled_mapping).
	TrylockUnderBlock bool
	// NoSizeRecheck leaves out filemap_fault's second i_size check, the
	// one under the page lock, for the design that shows what it is for.
	NoSizeRecheck bool

	InvalidateLock locks.RWSem
	IMmapRwsem     locks.RWSem
	// Pagecache is the add/block lock of GuardTwoState mappings.
	Pagecache *TwoStateLock

	iPages locks.Mutex
	pages  map[uint64]*Page // guarded by iPages

	vmas []*VMA // guarded by IMmapRwsem
}

// NewMapping returns the mapping of inode ino.
func NewMapping(w *World, ino uint64, keys *Keys, ops AddressSpaceOps, g Guard) *Mapping {
	m := &Mapping{W: w, Host: ino, Keys: keys, Ops: ops, Guard: g, pages: make(map[uint64]*Page)}
	m.InvalidateLock.Init(fmt.Sprintf("%s:invalidate_lock(ino %d)", keys.Name, ino), &keys.Invalidate)
	m.IMmapRwsem.Init(fmt.Sprintf("%s:i_mmap_rwsem(ino %d)", keys.Name, ino), &keys.IMmap)
	m.iPages.Init(fmt.Sprintf("%s:i_pages(ino %d)", keys.Name, ino), &keys.IPages)
	w.Track(&m.InvalidateLock)
	w.Track(&m.IMmapRwsem)
	w.Track(&m.iPages)
	if g == GuardTwoState {
		m.Pagecache = newTwoStateLock(keys.Name, ino, [2]*lockdep.Key{&keys.PagecacheAdd, &keys.PagecacheBlock})
		w.trackMap(m.Pagecache.Map(StateAdd))
		w.trackMap(m.Pagecache.Map(StateBlock))
	}
	return m
}

// lockAdd takes what the design takes to add pages and returns its undo.
func (m *Mapping) lockAdd(t *Task) func() {
	unlock, _ := m.lockAddFor(t, false)
	return unlock
}

// LockAddFault is lockAdd for the fault path (filemap_fault, and
// page_mkwrite around it): it may fail where the design makes a fault
// fail rather than wait (TrylockUnderBlock).
func (m *Mapping) LockAddFault(t *Task) (unlock func(), err error) { return m.lockAddFor(t, true) }

// AddBusy is the error of a fault that found the add state of M's
// pagecache lock held for block by someone else while its task holds
// another mapping's block state (TrylockUnderBlock): bcachefs's
// fdm_dropped_locks. The direct write drops its block state, waits for
// M's add state and retries.
type AddBusy struct{ M *Mapping }

func (e *AddBusy) Error() string {
	return fmt.Sprintf("pagecache add state of ino %d busy under a direct write: drop the block state and retry", e.M.Host)
}

func (m *Mapping) lockAddFor(t *Task, fault bool) (func(), error) {
	nop := func() {}
	if m.Guard == GuardTwoState && fault && t.PagecacheBlocked != nil {
		switch {
		case m.RecursionAware && t.PagecacheBlocked == m:
			// This task holds the block state: its own fault (a gup of
			// a buffer that maps this file) may add pages.
			return nop, nil
		case m.TrylockUnderBlock && t.PagecacheBlocked == m:
			return nop, ErrSigbus // bch2_page_fault: fdm == mapping
		case m.TrylockUnderBlock:
			if m.Pagecache.tryGet(StateAdd) {
				return func() { m.Pagecache.Put(StateAdd) }, nil
			}
			return nop, &AddBusy{M: m}
		}
	}
	return m.lockAddPlain(t, fault), nil
}

func (m *Mapping) lockAddPlain(t *Task, fault bool) func() {
	switch m.Guard {
	case GuardFaultsOnly:
		if !fault {
			return func() {}
		}
		m.InvalidateLock.DownRead() // ext4_filemap_fault: i_mmap_sem shared
		return m.InvalidateLock.UpRead
	case GuardInvalidateLock:
		m.InvalidateLock.DownRead()
		return m.InvalidateLock.UpRead
	case GuardTwoState:
		m.Pagecache.Get(StateAdd)
		return func() { m.Pagecache.Put(StateAdd) }
	}
	return func() {}
}

// FindPage looks a page up in the index.
func (m *Mapping) FindPage(idx uint64) *Page {
	m.iPages.Lock()
	defer m.iPages.Unlock()
	return m.pages[idx]
}

// addNewLocked creates page idx locked and inserts it, unless a page is
// there already: then it returns that one, unlocked, and false. A new page
// is locked before anyone can see it, so it costs no wait (the kernel's
// __folio_set_locked); the trylock adds no dependency of its own.
func (m *Mapping) addNewLocked(idx uint64) (*Page, bool) {
	p := newPage(m, idx)
	p.Lock.TryLock()
	m.iPages.Lock()
	defer m.iPages.Unlock()
	if old := m.pages[idx]; old != nil {
		p.Lock.Unlock()
		return old, false
	}
	m.pages[idx] = p
	return p, true
}

// deleteLocked removes a locked page from the index (__filemap_remove_folio).
func (m *Mapping) deleteLocked(p *Page) {
	m.iPages.Lock()
	if m.pages[p.Idx] == p {
		delete(m.pages, p.Idx)
	}
	m.iPages.Unlock()
	p.mapping.Store(nil)
	p.Lock.ClearFlag(pgDirty)
}

// pagesIn returns the cached pages in [start, end), by index.
func (m *Mapping) pagesIn(start, end uint64) []*Page {
	m.iPages.Lock()
	var ps []*Page
	for i, p := range m.pages {
		if i >= start && i < end {
			ps = append(ps, p)
		}
	}
	m.iPages.Unlock()
	sort.Slice(ps, func(i, j int) bool { return ps[i].Idx < ps[j].Idx })
	return ps
}

// lockPage locks p and reports whether it is still in m; if it was
// truncated meanwhile, p is unlocked again and false returned.
func (m *Mapping) lockPage(p *Page) bool {
	p.Lock.Lock()
	if p.Mapping() != m {
		p.Lock.Unlock()
		return false
	}
	return true
}

// fill reads a locked page that is not uptodate.
func (m *Mapping) fillLocked(t *Task, p *Page) {
	p.SetData(m.Ops.ReadPage(t, p))
	p.Lock.SetFlag(pgUptodate)
}

// GrabPageLocked returns page idx locked, creating it if it is missing
// (grab_cache_page_write_begin). Buffered writes add pages this way with no
// invalidate_lock: i_rwsem serialises them against truncate and punch.
func (m *Mapping) GrabPageLocked(idx uint64) *Page {
	for {
		if p := m.FindPage(idx); p != nil {
			if m.lockPage(p) {
				return p
			}
			continue
		}
		if p, ok := m.addNewLocked(idx); ok {
			return p
		}
	}
}

// MarkUptodate sets PG_uptodate on a locked page.
func (p *Page) MarkUptodate() { p.Lock.SetFlag(pgUptodate) }
