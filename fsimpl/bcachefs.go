package fsimpl

import "github.com/golockdep/lockdep/cache"

// bchDIOWrite is a bcachefs direct write: i_rwsem, then the pagecache lock
// in the block state for the whole write, so that nothing adds pages to
// the range while it runs; the task records the mapping it blocked
// (faults_disabled_mapping). Pinning the user buffer may fault on a
// mapping of the same file, which needs the add state of the lock the
// task holds in the block state: a self-deadlock unless the fault checks
// the task pointer (RecursionAware). The pages its own faults brought in
// are dropped again after the pin (Kent Overstreet's second invalidate).
func (fs *FS) bchDIOWrite(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	m := ip.Mapping
	ip.IRwsem.DownWrite()
	defer ip.IRwsem.UpWrite()
	m.Pagecache.Get(cache.StateBlock)
	defer m.Pagecache.Put(cache.StateBlock)
	t.PagecacheBlocked = m
	defer func() { t.PagecacheBlocked = nil }()
	r, err := fs.dioSubmit(t, ip, idx, n, vpn, true)
	if err != nil {
		return err
	}
	m.InvalidatePages2Range(t, idx, idx+n)
	fs.dioComplete(t, r)
	return nil
}
