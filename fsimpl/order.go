package fsimpl

// LockOrder is the order of the lock classes of the file systems and the
// page cache below them, outer first, by base name (see cache.BaseName):
// the package documentation's order as data, checked against the live
// graph of the correct designs by the tests in tests/scenarios.
var LockOrder = []string{
	"sb_writers",     // freeze protection of writers: outermost
	"i_rwsem",        // VFS inode lock; XFS IOLOCK
	"pagecache_lock", // bcachefs: block state across a direct write
	"mmap_lock",      // faults; copies to and from user memory
	"sb_pagefaults",  // page_mkwrite's freeze protection
	"i_mmap_sem",     // FUSE DAX fault lock
	"invalidate_lock",
	"page",
	"sb_internal", // transaction start (xfs_trans_alloc)
	"jbd2_handle", // ext4's journal handle
	"ILOCK",       // XFS extent map, inside transactions
	"i_data_sem",
	"i_mmap_rwsem",
	"i_pages",
}
