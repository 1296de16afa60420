package fsimpl

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/golockdep/lockdep/cache"
)

// bchDIOWrite is a bcachefs direct write: i_rwsem, then the pagecache lock
// in the block state for the whole write, so that nothing adds pages to
// the range while it runs; the task records the mapping it blocked
// (faults_disabled_mapping). Pinning the user buffer may fault on a
// mapping of the same file, which needs the add state of the lock the
// task holds in the block state: a self-deadlock unless the fault checks
// the task pointer (RecursionAware). The pages its own faults brought in
// are dropped again after the pin (Kent Overstreet's second invalidate).
//
// With TrylockUnderBlock a fault on another file's mapping whose block
// state is held fails instead of waiting (*cache.AddBusy); the write then
// drops its own block state, waits for the other file's add state with
// no mmap_lock held, takes its block state again and retries. Upstream
// waits inside the fault handler, after dropping the block state but
// with mmap_lock held, and only when the other mapping sorts lower;
// lockdep classes cannot tell the two orders apart, and waiting there
// would put mmap_lock before pagecache_block, against get_user_pages
// under the block state.
func (fs *FS) bchDIOWrite(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	m := ip.Mapping
	ip.IRwsem.DownWrite()
	defer ip.IRwsem.UpWrite()
	block := func() { m.Pagecache.Get(cache.StateBlock); t.PagecacheBlocked = m }
	unblock := func() { t.PagecacheBlocked = nil; m.Pagecache.Put(cache.StateBlock) }
	block()
	defer func() {
		if t.PagecacheBlocked == m {
			unblock()
		}
	}()
	fs.W.Sched.Point("bch:dio-blocked")
	r, err := fs.dioSubmit(t, ip, idx, n, vpn, true)
	for try := 0; err != nil && try < bchFaultRetries; try++ {
		var busy *cache.AddBusy
		if !errors.As(err, &busy) {
			return err
		}
		unblock()
		busy.M.Pagecache.Get(cache.StateAdd)
		busy.M.Pagecache.Put(cache.StateAdd)
		runtime.Gosched() // let the add state's holder finish before blocking again
		block()
		r, err = fs.dioSubmit(t, ip, idx, n, vpn, true)
	}
	if err != nil {
		return err
	}
	fs.bchWriteInvalidate(t, ip, idx, idx+n, "direct write (after get_user_pages)")
	fs.dioComplete(t, r)
	return nil
}

// bchInvalidateTries bounds bchWriteInvalidate's loop, and bchFaultRetries
// a direct write's retries after its fault found another file's add state
// busy; the kernel bounds neither.
const (
	bchInvalidateTries = 16
	bchFaultRetries    = 64
)

// bchWriteInvalidate is bch2_write_invalidate_inode_pages_range, called
// with the pagecache lock held in the block state: write back and
// invalidate pages [start, end) until no page is left. Nothing can add a
// page meanwhile, and a written-back page is write-protected, so a store
// that would redirty it faults into page_mkwrite and waits for the add
// state: the second round succeeds. The kernel spins while a page keeps
// being redirtied ("XXX: ... we can spin"); the model gives up after
// bchInvalidateTries rounds and counts it as a stale page cache.
func (fs *FS) bchWriteInvalidate(t *cache.Task, ip *Inode, start, end uint64, what string) {
	m := ip.Mapping
	for try := 0; try < bchInvalidateTries; try++ {
		m.WriteAndWaitRange(t, start, end)
		if m.InvalidatePages2Range(t, start, end) {
			return
		}
	}
	fs.W.Oracle.StalePagecache(fmt.Sprintf("%s of ino %d pages [%d, %d): pages still dirty after %d rounds of write back and invalidate",
		what, ip.Ino, start, end, bchInvalidateTries))
}
