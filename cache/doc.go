// Package cache models the Linux page cache closely enough that the
// kernel's lock orders can be validated live: a block device, address
// spaces with their page index, invalidate_lock and i_mmap_rwsem, pages
// with a page lock and uptodate/dirty/writeback bits, processes with an
// mmap_lock and page tables, and the generic paths that tie them together.
//
// # Model
//
// Data is modelled by a Stamp per block or page: the file and page it was
// written for and a unique generation. The Device hands out blocks from a
// LIFO free list, so a freed block is reused at once and a race that
// exposes freed blocks shows another file's data. The Oracle holds the
// truth for every file page over time and checks every buffered read,
// fault, load through a mapping and writeback against it, and the device
// reports blocks freed under direct I/O and writes that land in blocks
// the file no longer owns.
//
// The generic paths take the kernel's locks in the kernel's order:
// ReadPage (filemap_read: lock-free for cached uptodate pages, the add
// lock to add or fill pages), Readahead, FilemapFault and PageMkwrite
// (under the task's mmap_lock), WriteAndWaitRange (writeback, with
// page_mkclean), TruncatePagecacheRange and InvalidatePages2Range,
// ReadMappingPage (for callers that hold invalidate_lock), and
// InvalidateLockTwo. What serialises page-cache fills against removal is
// the mapping's Guard: invalidate_lock (Linux 5.15+), nothing (before it),
// or bcachefs's two-state add/block lock.
//
// Race windows carry named pause points (Sched.Point); a scenario arms a
// Gate to stop a goroutine there, runs the racing operation as far as the
// design lets it (Op.WaitDoneOrBlocked), and releases the gate: the same
// interleaving on every run, with no sleeps.
//
// # Lock order
//
// Outer to inner, as LockOrder states for CheckOrder:
//
//	i_rwsem (file systems)
//	  pagecache_block (bcachefs: held by a direct write across gup)
//	    mmap_lock (fault, page_mkwrite, gup; a copy to or from user memory)
//	      pagecache_add (bcachefs: faults and buffered I/O adding pages)
//	      invalidate_lock (shared to add pages, exclusive to remove them)
//	        fs_reclaim (a page-cache allocation outside a no-fs scope;
//	                    reclaim holds it while it takes file system locks)
//	          page lock (two pages: by index, then inode; LockTwoPages)
//	            ILOCK / i_data_sem (file systems: the block map)
//	            i_mmap_rwsem (unmap_mapping_range, page_mkclean)
//	              i_pages (the index; innermost)
//
// invalidate_lock is never held across a copy to or from user memory. The
// device's, the oracle's, the pause points' and the page tables' mutexes
// are leaves outside the model and are not validated.
package cache
