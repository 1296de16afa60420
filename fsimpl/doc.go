// Package fsimpl builds file systems on the page cache model of package
// cache, so that the locking of ext4, XFS, FUSE DAX and bcachefs around
// the page cache is validated live.
//
// # Model
//
// An Inode has i_rwsem (XFS's IOLOCK), an extent map from file page to
// device block guarded by ILOCK (ext4's i_data_sem), a size in pages, a
// direct-I/O count that inodeDioWait waits on, and a cache.Mapping whose
// invalidate_lock is XFS's MMAPLOCK. A design (Design, chosen by name with
// Mount) is one of the file systems as the kernel has it, or one of the
// designs the seed discussions argue against; the difference is only the
// code path taken. Operations: Read, Write, DIORead and DIOWrite
// (asynchronous: completion runs after i_rwsem is dropped), faults and
// page_mkwrite through Mmap, Truncate, Fallocate (punch, zero, collapse,
// insert), Remap (reflink and dedupe, XFS only), CopyFileRange.
//
// Two-inode helpers: lockTwoNondirectories orders by address and annotates
// the second i_rwsem I_MUTEX_NONDIR2; xfs_lock_two_inodes orders by inode
// number and encodes subclass 0 or 1 into each lock's field of the
// xfs_ilock flag word (ILOCK's field spans all eight lockdep subclasses);
// xfs_ilock2_io_mmap takes both IOLOCKs and then both MMAPLOCKs with
// filemap_invalidate_lock_two. SetInstanceOrders declares the instance
// orders these helpers follow, for the validator's order check.
//
// # Lock order
//
// Outer to inner (LockOrder holds it as data):
//
//	sb_writers (freeze protection: write, truncate, fallocate, remap)
//	  i_rwsem / IOLOCK (two inodes: by address, second I_MUTEX_NONDIR2)
//	    pagecache_block (bcachefs: held by a direct write across get_user_pages)
//	      mmap_lock (a copy from or to user memory may fault)
//	        sb_pagefaults (page_mkwrite)
//	          pagecache_add (bcachefs: faults, buffered I/O)
//	          i_mmap_sem (FUSE DAX faults; punch holds it exclusive)
//	          invalidate_lock / MMAPLOCK (two mappings: by address, second /1)
//	            i_dio_count (inode_dio_wait, validated as a pseudo-lock that
//	                         direct-I/O completions hold)
//	              jbd2_handle (ext4: ext4_do_writepages and ext4_write_begin
//	                           start the handle before they lock a page)
//	                fs_reclaim (an allocation outside a no-fs scope; reclaim
//	                            holds it while it takes ILOCK: transactions
//	                            allocate in a no-fs scope)
//	                  page lock (two pages: by index, then inode)
//	                    sb_internal (XFS: a transaction, allocated under the
//	                                 page lock in writeback)
//	                      ILOCK / i_data_sem (never two at once here: remap
//	                                          reads the source under ILOCK
//	                                          shared, then writes the
//	                                          destination exclusive)
//	                    i_mmap_rwsem
//	                      i_pages
//
// So faults never take i_rwsem, invalidate_lock is never held across a copy
// to or from user memory, and punch, truncate, collapse, insert and remap
// hold invalidate_lock exclusive from before they write back dirty pages
// until the extents have changed, after waiting for direct I/O in flight.
// The mutex and condition behind the inode's direct-I/O count and the
// mutex that orders direct-write completions with the oracle are leaves
// outside the model; the wait itself is validated through i_dio_count.
package fsimpl
