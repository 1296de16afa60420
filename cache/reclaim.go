package cache

import "github.com/golockdep/lockdep/lockdep"

// Memory reclaim, as lockdep sees it: the kernel's fs_reclaim pseudo-lock
// (__fs_reclaim_map in mm/page_alloc.c). An allocation that may recurse
// into the file system (__GFP_FS, and the task not inside
// memalloc_nofs_save) acquires and releases it (might_alloc ->
// fs_reclaim_acquire/release), so every lock held across such an
// allocation comes before fs_reclaim; reclaim holds it while it shrinks
// caches and evicts inodes (kswapd's balance_pgdat, direct reclaim), so
// every lock reclaim takes comes after it. A file system lock held across
// an allocation that reclaim also takes is a cycle: the allocation can
// wait for reclaim, which waits for the lock.

// fsReclaimKey is the class of every world's fs_reclaim map.
var fsReclaimKey lockdep.Key

// MemallocNofsSave enters a no-fs scope (memalloc_nofs_save): allocations
// by t do not recurse into file systems, so they do not touch fs_reclaim.
// Scopes nest; call the returned function to leave it.
func (t *Task) MemallocNofsSave() (restore func()) {
	t.nofs++
	return func() { t.nofs-- }
}

// MightAlloc is might_alloc(GFP_KERNEL) for an allocation by t: unless t
// is inside a no-fs scope, fs_reclaim is acquired and released, recording
// that reclaim may run here. A nil task allocates without a scope.
func (w *World) MightAlloc(t *Task) {
	if t != nil && t.nofs > 0 {
		return
	}
	w.fsReclaim.Acquire(0, lockdep.Exclusive)
	w.fsReclaim.Release()
}

// ReclaimBegin starts a pass of memory reclaim (fs_reclaim_acquire with
// GFP_KERNEL, as kswapd and direct reclaim do); the returned function
// ends it.
func (w *World) ReclaimBegin() (end func()) {
	w.fsReclaim.Acquire(0, lockdep.Exclusive)
	return func() { w.fsReclaim.Release() }
}
