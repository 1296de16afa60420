package fsimpl

// LockOrder is the order of the lock classes of the file systems and the
// page cache below them, outer first, by base name (see cache.BaseName):
// the package documentation's order as data, checked against the live
// graph of the correct designs by the tests in tests/scenarios.
var LockOrder = []string{
	"sb_writers",      // freeze protection of writers: outermost
	"i_rwsem",         // VFS inode lock; XFS IOLOCK
	"pagecache_block", // bcachefs: block state across a direct write
	"mmap_lock",       // faults; copies to and from user memory
	"sb_pagefaults",   // page_mkwrite's freeze protection
	"i_mmap_sem",      // FUSE DAX fault lock
	"pagecache_add",   // bcachefs: add state, taken by faults under mmap_lock
	"invalidate_lock",
	// The wait for direct I/O in flight (inode_dio_wait), as a pseudo-lock:
	// truncate, punch and remap wait with i_rwsem and invalidate_lock
	// held; a completion takes only what comes after it.
	"i_dio_count",
	// ext4's journal handle comes before page locks: ext4_write_begin
	// unlocks the folio, starts the handle and relocks it;
	// ext4_do_writepages starts the handle before
	// mpage_prepare_extent_to_map locks folios.
	"jbd2_handle",
	// Allocations that may recurse into the file system: after every
	// lock held across a page-cache allocation, before every lock
	// reclaim takes.
	"fs_reclaim",
	"page",
	// XFS allocates transactions under page locks (writeback:
	// xfs_map_blocks -> xfs_bmapi_convert_delalloc -> xfs_trans_alloc).
	"sb_internal",
	"ILOCK", // XFS extent map, inside transactions
	"i_data_sem",
	"i_mmap_rwsem",
	"i_pages",
}
