package fsimpl

import (
	"fmt"
	"sort"

	"github.com/golockdep/lockdep/cache"
)

// Design is one file system design, selected by name. The correct designs
// are today's kernel; the others are the designs the seed discussions warn
// about. A design only chooses which code path runs: whether it is broken
// is for the validator and the oracle to find out.
type Design struct {
	Name string
	Kind string // "ext4", "xfs", "fuse-dax" or "bcachefs"
	Doc  string

	// Guard is what serialises page-cache fills against removal.
	Guard cache.Guard
	// FaultTakesIRwsem: the fault handler takes i_rwsem shared.
	FaultTakesIRwsem bool
	// DedupeViaReadPath: the dedupe compare reads pages through the
	// buffered read path (which takes invalidate_lock shared) instead of
	// read_mapping_page, while holding MMAPLOCK exclusive.
	DedupeViaReadPath bool
	// MmaplockByIno: reflink takes both MMAPLOCKs with xfs_lock_two_inodes
	// (inode-number order) while dedupe uses filemap_invalidate_lock_two
	// (address order), both annotating first = 0, second = 1.
	MmaplockByIno bool
	// ExchangeIlockByAddr: exchange-range takes the two ILOCKs in address
	// order instead of xfs_lock_two_inodes's inode-number order.
	ExchangeIlockByAddr bool
	// TruncateNoDioWait: truncate does not wait for direct I/O in flight.
	TruncateNoDioWait bool
	// NoPinWait: FUSE DAX punch unmaps the range (breaking layouts) but
	// does not wait for direct I/O that pinned its blocks through a
	// mapping.
	NoPinWait bool
	// FuseNarrowLock: FUSE DAX punch takes i_mmap_sem only around the
	// page-cache truncate, after the server freed the blocks.
	FuseNarrowLock bool
	// CopyUnderPageLock: a buffered write copies from the user buffer
	// with page faults enabled while it holds the page lock, instead of
	// faulting the buffer in first and copying with faults disabled.
	CopyUnderPageLock bool
	// TransNoNOFS: a transaction does not enter a no-fs scope, so an
	// allocation under ILOCK may recurse into file system reclaim.
	TransNoNOFS bool
	// DioCompletionLocksMapping: a direct write's completion takes
	// invalidate_lock shared around its page-cache invalidation.
	DioCompletionLocksMapping bool
	// FaultStartsWrite: page_mkwrite takes freeze protection with
	// sb_start_write instead of sb_start_pagefault.
	FaultStartsWrite bool
	// NoFaultSizeRecheck: filemap_fault does not check i_size again under
	// the page lock.
	NoFaultSizeRecheck bool
	// TrylockUnderBlock: bcachefs's fault, in a task that holds a block
	// state, only tries the add state; the direct write drops its block
	// state, waits and retries when that fails.
	TrylockUnderBlock bool
	// RecursionAware: bcachefs's fault sees the task already holds the
	// pagecache lock in the block state and does not take it for add.
	RecursionAware bool
}

var designs = map[string]Design{}

func addDesign(d Design) { designs[d.Name] = d }

func init() {
	addDesign(Design{Name: "ext4", Kind: "ext4", Doc: "ext4 since 5.15: invalidate_lock shared to add pages, exclusive across punch and truncate"})
	addDesign(Design{Name: "ext4-no-invalidate-lock", Kind: "ext4", Guard: cache.GuardNone,
		Doc: "the page cache before invalidate_lock: nothing keeps faults and reads out between truncating the page cache and freeing the blocks"})
	addDesign(Design{Name: "ext4-i_mmap_sem", Kind: "ext4", Guard: cache.GuardFaultsOnly,
		Doc: "ext4 from 4.5 to 5.15: i_mmap_sem (modelled by invalidate_lock) keeps faults and page_mkwrite out of punch and truncate, but read(2) and readahead add pages with no lock"})
	addDesign(Design{Name: "ext4-no-invalidate-lock-no-recheck", Kind: "ext4", Guard: cache.GuardNone, NoFaultSizeRecheck: true,
		Doc: "as ext4-no-invalidate-lock, and filemap_fault checks i_size only on entry, not again under the page lock"})
	addDesign(Design{Name: "ext4-write-copy-under-page-lock", Kind: "ext4", CopyUnderPageLock: true,
		Doc: "a buffered write that copies from the user buffer, faults enabled, while it holds the page lock"})
	addDesign(Design{Name: "ext4-fault-sb-start-write", Kind: "ext4", FaultStartsWrite: true,
		Doc: "page_mkwrite that takes freeze protection with sb_start_write (the level write(2) takes) instead of sb_start_pagefault"})
	addDesign(Design{Name: "ext4-fault-takes-i_rwsem", Kind: "ext4", FaultTakesIRwsem: true,
		Doc: "a fault handler that serialises against punch with i_rwsem (shared), under mmap_lock"})
	addDesign(Design{Name: "xfs", Kind: "xfs", Doc: "XFS: IOLOCK = i_rwsem, MMAPLOCK = invalidate_lock, ILOCK; xfs_ilock2_io_mmap for two files; dedupe compares with read_mapping_page"})
	addDesign(Design{Name: "xfs-dedupe-via-read-path", Kind: "xfs", DedupeViaReadPath: true,
		Doc: "the dedupe compare reads pages through the shared-lock read path while MMAPLOCK is held exclusive"})
	addDesign(Design{Name: "xfs-mmaplock-by-ino", Kind: "xfs", MmaplockByIno: true,
		Doc: "reflink locks both MMAPLOCKs in inode-number order (xfs_lock_two_inodes) while dedupe uses the VFS's address order; both annotate first=0, second=1"})
	addDesign(Design{Name: "xfs-trans-alloc-without-nofs", Kind: "xfs", TransNoNOFS: true,
		Doc: "XFS whose transactions allocate memory without memalloc_nofs_save: reclaim may recurse into the file system under ILOCK"})
	addDesign(Design{Name: "xfs-dio-completion-locks-mapping", Kind: "xfs", DioCompletionLocksMapping: true,
		Doc: "XFS whose direct-write completion takes MMAPLOCK (invalidate_lock) shared to invalidate the page cache, which truncate holds exclusive while it waits for direct I/O"})
	addDesign(Design{Name: "xfs-exchange-ilock-by-address", Kind: "xfs", ExchangeIlockByAddr: true,
		Doc: "exchange-range taking the two ILOCKs in address order, annotated first=0, second=1 as xfs_lock_two_inodes annotates its inode-number order"})
	addDesign(Design{Name: "xfs-truncate-no-dio-wait", Kind: "xfs", TruncateNoDioWait: true,
		Doc: "truncate locks out faults (MMAPLOCK) and new I/O (IOLOCK) but does not wait for direct I/O in flight"})
	addDesign(Design{Name: "fuse-dax-narrow", Kind: "fuse-dax", Guard: cache.GuardNone, FuseNarrowLock: true,
		Doc: "FUSE DAX with i_mmap_sem taken only around truncate_pagecache_range, after the server punched the hole (seed 002's patch)"})
	addDesign(Design{Name: "fuse-dax-full", Kind: "fuse-dax", Guard: cache.GuardNone,
		Doc: "FUSE DAX with Dave Chinner's fix: i_mmap_sem exclusive before writeback and until the punch is done, layouts broken, direct I/O waited for"})
	addDesign(Design{Name: "fuse-dax-no-pin-wait", Kind: "fuse-dax", Guard: cache.GuardNone, NoPinWait: true,
		Doc: "FUSE DAX with faults locked out for the whole punch, whose layout break unmaps the range but does not wait for pages pinned by direct I/O"})
	addDesign(Design{Name: "bcachefs", Kind: "bcachefs", Guard: cache.GuardTwoState,
		Doc: "bcachefs's pagecache add/block lock; a direct write holds block across get_user_pages"})
	addDesign(Design{Name: "bcachefs-recursion-aware", Kind: "bcachefs", Guard: cache.GuardTwoState, RecursionAware: true,
		Doc: "as bcachefs, with the task pointer that lets the direct write's own faults add pages"})
	addDesign(Design{Name: "bcachefs-trylock-retry", Kind: "bcachefs", Guard: cache.GuardTwoState, TrylockUnderBlock: true,
		Doc: "bcachefs as upstream has it (bch2_page_fault with faults_disabled_mapping): under a direct write a fault only tries the add state; on failure the write drops its block state, waits for the add state and retries"})
}

// lookupDesign returns the design called name.
func lookupDesign(name string) (Design, error) {
	d, ok := designs[name]
	if !ok {
		return Design{}, fmt.Errorf("fsimpl: no design %q (have %v)", name, DesignNames())
	}
	return d, nil
}

// DesignNames lists the designs.
func DesignNames() []string {
	var ns []string
	for n := range designs {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}
