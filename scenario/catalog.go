package scenario

import (
	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/lockdep"
)

var clean = Expect{Verdict: "clean"}

// Stress workloads. Direct I/O and stores through mappings are kept apart
// on purpose: a store that dirties a page while a direct write is in
// flight leaves the page cache incoherent in the kernel too ("mix them and
// you get what you deserve"), which is not what these scenarios test.
var (
	punchStress = Stress{Files: 3, Ops: []string{"read", "write", "load", "store", "punch", "zero", "collapse", "insert", "truncate", "writeback"}}
	faultStress = Stress{Files: 2, Ops: []string{"read", "write", "load", "punch", "writeback"}}
	fuseStress  = Stress{Files: 3, Ops: []string{"read", "write", "load", "store", "punch"}}
	// Asynchronous direct reads are left out of the remap workload: a
	// buffered write whose writeback unshares a reflinked block, and a
	// remap that drops the other reference, free the block under a read
	// still in flight on the first file. Nothing in XFS waits for that
	// read either (only the file's own truncate, punch and remap do);
	// the oracle reports it as freed in use.
	remapStress = Stress{Files: 3, Direct: true, Ops: []string{"read", "write", "load", "store", "writeback", "reflink", "dedupe", "copy", "punch"}}
	dioStress   = Stress{Files: 3, Ops: []string{"read", "load", "dioread", "diowrite", "truncate", "writeback"}}
	// bchCrossStress adds direct writes from a mapping of another file.
	bchCrossStress = Stress{Files: 2, Direct: true, Ops: []string{"read", "write", "diowrite", "diowrite-same-file", "diowrite-other-file"}}
	// writeMmapStress writes from mappings of the files being written and
	// punched.
	writeMmapStress = Stress{Files: 2, Ops: []string{"read", "write", "write-from-mmap", "load", "store", "punch", "truncate", "writeback"}}
	// reclaimStress runs memory reclaim among buffered I/O, faults and
	// writeback.
	reclaimStress = Stress{Files: 2, Ops: []string{"read", "write", "load", "store", "writeback", "punch", "truncate", "reclaim"}}
	// freezeStress freezes among writes, stores and faults.
	freezeStress = Stress{Files: 2, Ops: []string{"read", "write", "load", "store", "writeback", "punch", "freeze"}}
	// exchangeStress exchanges ranges among buffered I/O and faults.
	exchangeStress = Stress{Files: 3, Ops: []string{"read", "write", "load", "store", "writeback", "exchange", "punch"}}
	// mixedDIOStress mixes what dioStress keeps apart, for the scenario
	// that is about exactly that.
	mixedDIOStress = Stress{Files: 2, Ops: []string{"read", "write", "load", "store", "dioread", "diowrite", "writeback"}}
	// Plain faults are left out of the bcachefs workload: with a direct
	// write holding the block state across get_user_pages (pagecache_lock
	// -> mmap_lock), a fault by another thread of the process that takes
	// the add state (mmap_lock -> pagecache_lock) is a real three-way
	// deadlock with an mmap_lock writer, which the recursion pointer does
	// not address and which the validator reports as circular.
	bchStress = Stress{Files: 2, Direct: true, Ops: []string{"read", "write", "diowrite", "diowrite-same-file"}}
)

// eofNoStress is why the truncate-vs-fault scenarios run no random
// workload: the page a losing fault added stays in the cache beyond EOF
// (filemap_fault only unlocks it), and a later extending write or truncate
// shows its old data. Only invalidate_lock in truncate closes that, so a
// random workload on a design without it would report what this scenario
// is not about.
const eofNoStress = "the page a losing fault added stays cached beyond EOF; a later extension of the file exposes it, which only invalidate_lock in truncate prevents"

func init() {
	register(&Scenario{Name: "ext4-punch-vs-fault",
		Summary: "ext4: punch a hole while a process reads via mmap",
		Design:  "ext4", Seed: "001",
		Doc:    "punch hole vs fault with invalidate_lock held exclusive across the punch",
		Expect: clean, Script: punchVsFault, Stress: punchStress})
	register(&Scenario{Name: "punch-vs-fault-no-invalidate-lock",
		Summary: "the same before 5.15: reads see freed blocks",
		Design:  "ext4-no-invalidate-lock", Seed: "001",
		Doc: "the same race before invalidate_lock: a fault between page-cache truncate and block freeing",
		Expect: Expect{Verdict: "reported", OracleDesc: "stale reads > 0",
			Oracle: func(c cache.Counts) bool { return c.StaleReads > 0 }},
		Script: punchVsFault, Stress: punchStress})
	register(&Scenario{Name: "fault-takes-i_rwsem",
		Summary: "a page fault takes the file lock: order inversion",
		Design:  "ext4-fault-takes-i_rwsem", Seed: "001",
		Doc:    "a fault handler serialising against punch with i_rwsem, under mmap_lock",
		Expect: Expect{Verdict: "reported", Kind: lockdep.Circular, Classes: []string{"i_rwsem", "mmap_lock"}},
		Script: faultTakesIRwsem, Stress: faultStress})
	register(&Scenario{Name: "fuse-dax-narrow-lock",
		Summary: "FUSE DAX punch: stores land in freed blocks",
		Design:  "fuse-dax-narrow", Seed: "002",
		Doc: "FUSE DAX punch with i_mmap_sem only around truncate_pagecache_range",
		Expect: Expect{Verdict: "reported", OracleDesc: "lost writes or stale reads > 0",
			Oracle: func(c cache.Counts) bool { return c.LostWrites > 0 || c.StaleReads > 0 }},
		Script: fuseDaxPunch, Stress: fuseStress})
	register(&Scenario{Name: "fuse-dax-full-lock",
		Summary: "FUSE DAX punch that blocks faults throughout",
		Design:  "fuse-dax-full", Seed: "002",
		Doc:    "FUSE DAX punch with faults locked out before writeback until the punch is done",
		Expect: clean, Script: fuseDaxPunch, Stress: fuseStress})
	register(&Scenario{Name: "xfs-reflink-dedupe",
		Summary: "XFS reflink and dedupe of two files",
		Design:  "xfs", Seed: "000", InstanceOrders: true,
		Doc:    "reflink and dedupe holding both files' IOLOCK and MMAPLOCK, comparing pages with read_mapping_page in order",
		Expect: clean, Script: reflinkDedupe, Stress: remapStress})
	register(&Scenario{Name: "xfs-dedupe-compare-via-read-path",
		Summary: "dedupe reads pages the usual way: waits on itself",
		Design:  "xfs-dedupe-via-read-path", Seed: "000",
		Doc:    "the dedupe compare reading through the shared-lock read path while holding MMAPLOCK exclusive",
		Expect: Expect{Verdict: "reported", Kind: lockdep.Recursive, Classes: []string{"invalidate_lock"}},
		Script: reflinkDedupe, Stress: remapStress})
	register(&Scenario{Name: "two-inode-order-mismatch",
		Summary: "two paths lock two files in opposite orders",
		Design:  "xfs-mmaplock-by-ino", Seed: "000", CompareClassic: true,
		Doc: "reflink ordering two MMAPLOCKs by inode number, dedupe by address, both annotated first=0 second=1",
		Expect: Expect{Verdict: "reported", Kind: lockdep.OrderViolation, Classes: []string{"invalidate_lock"},
			TwoInstances: true},
		Script: orderMismatch, Stress: remapStress})
	register(&Scenario{Name: "bcachefs-dio-fault-same-file",
		Summary: "bcachefs direct write from its own mmap: deadlock",
		Design:  "bcachefs", Seed: "003",
		Doc:    "a direct write from a buffer that maps the same file: gup faults need the add state of the lock held for block",
		Expect: Expect{Verdict: "reported", Kind: lockdep.Recursive, Classes: []string{"pagecache_block"}},
		Script: dioFaultSameFile, Stress: bchStress})
	register(&Scenario{Name: "bcachefs-dio-fault-recursion-aware",
		Summary: "the same, fixed: the task knows the lock it holds",
		Design:  "bcachefs-recursion-aware", Seed: "003",
		Doc:    "the same write with the task pointer that lets the write's own faults add pages",
		Expect: clean, Script: dioFaultSameFile, Stress: bchStress})
	register(&Scenario{Name: "truncate-without-dio-wait",
		Summary: "truncate ignores direct I/O: frees blocks in use",
		Design:  "xfs-truncate-no-dio-wait", Seed: "004",
		Doc: "truncate that locks out faults and new I/O but does not wait for direct I/O in flight",
		Expect: Expect{Verdict: "reported", OracleDesc: "freed in use > 0",
			Oracle: func(c cache.Counts) bool { return c.FreedInUse > 0 }},
		Script: truncateVsDIO, Stress: dioStress})
	register(&Scenario{Name: "xfs-truncate-vs-dio",
		Summary: "XFS truncate waits for direct I/O in flight",
		Design:  "xfs", Seed: "004",
		Doc:    "XFS truncate: IOLOCK and MMAPLOCK exclusive, then inode_dio_wait before touching extents",
		Expect: clean, Script: truncateVsDIO, Stress: dioStress})
	register(&Scenario{Name: "truncate-vs-fault-beyond-eof",
		Summary: "truncate vs a fault past the new end of file",
		Design:  "ext4-no-invalidate-lock", Seed: "001",
		Doc: "truncate with no invalidate_lock vs a fault that checked i_size before it shrank: " +
			"filemap_fault checks i_size again under the page lock, so the fault gets SIGBUS",
		Expect: clean, Script: truncateVsFaultBeyondEOF, Stress: Stress{Skip: eofNoStress}})
	register(&Scenario{Name: "truncate-vs-fault-no-size-recheck",
		Summary: "the same, no second size check: old data stays",
		Design:  "ext4-no-invalidate-lock-no-recheck", Seed: "001",
		Doc: "the same race without the i_size check under the page lock: the fault maps a page beyond EOF " +
			"and the process reads data the truncate removed",
		Expect: Expect{Verdict: "reported", OracleDesc: "stale reads > 0",
			Oracle: func(c cache.Counts) bool { return c.StaleReads > 0 }},
		Script: truncateVsFaultBeyondEOF, Stress: Stress{Skip: eofNoStress}})
	register(&Scenario{Name: "dio-write-vs-mmap-store",
		Summary: "mmap store during a direct write: the kernel warns",
		Design:  "xfs", Seed: "003",
		Doc: "XFS as it is: a store through mmap dirties a page while an AIO direct write to it is in flight; " +
			"the invalidation at completion fails and the kernel warns (dio_warn_stale_pagecache)",
		Expect: Expect{Verdict: "reported", OracleDesc: "stale pagecache > 0",
			Oracle: func(c cache.Counts) bool { return c.StalePagecache > 0 }},
		Script: dioWriteVsMmapStore, Stress: mixedDIOStress})

	// The races the seeds do not script, in the order issue 12 ranks them.
	register(&Scenario{Name: "write-from-mmap",
		Summary: "write(2) from an mmap of a file being punched",
		Design:  "ext4", Seed: "",
		Doc: "generic_perform_write from a user buffer that maps a file being punched, and the very page " +
			"being written: the buffer is faulted in first, copied with faults disabled, and the copy " +
			"retried when it comes up short",
		Expect: clean, Script: writeFromMmap, Stress: writeMmapStress})
	register(&Scenario{Name: "write-from-mmap-copy-under-page-lock",
		Summary: "the same, copying under the page lock, faults on",
		Design:  "ext4-write-copy-under-page-lock", Seed: "",
		Doc: "the same writes copying from the user buffer with faults enabled under the page lock: " +
			"page -> mmap_lock -> invalidate_lock against the punch's invalidate_lock -> page, and a fault " +
			"on the page being written waits for its own task",
		Expect: Expect{Verdict: "reported", Kind: lockdep.Circular, Classes: []string{"page", "mmap_lock"}},
		Script: writeFromMmap, Stress: Stress{Skip: "two writers that each fault on the page the other holds " +
			"deadlock for real under a random workload, and the watchdog would call the run hung; the script " +
			"shows the reports first"}})
	register(&Scenario{Name: "reclaim-vs-transaction",
		Summary: "memory reclaim vs XFS allocating in a transaction",
		Design:  "xfs", Seed: "001",
		Doc: "reclaim holds fs_reclaim and takes ILOCK; XFS transactions allocate under ILOCK in a no-fs " +
			"scope (memalloc_nofs_save), and readahead allocates in one too",
		Expect: clean, Script: reclaimVsTransaction, Stress: reclaimStress})
	register(&Scenario{Name: "reclaim-vs-transaction-without-nofs",
		Summary: "the same, allocating without the no-fs scope",
		Design:  "xfs-trans-alloc-without-nofs", Seed: "001",
		Doc: "a transaction that allocates under ILOCK without a no-fs scope: ILOCK -> fs_reclaim against " +
			"reclaim's fs_reclaim -> ILOCK",
		Expect: Expect{Verdict: "reported", Kind: lockdep.Circular, Classes: []string{"fs_reclaim", "ILOCK"}},
		Script: reclaimVsTransaction, Stress: reclaimStress})
	register(&Scenario{Name: "ext4-punch-vs-read",
		Summary: "ext4: punch a hole while a process read(2)s it",
		Design:  "ext4", Seed: "001",
		Doc:    "punch hole vs read(2) and readahead, which take invalidate_lock shared to add pages (5.15+)",
		Expect: clean, Script: punchVsRead, Stress: punchStress})
	register(&Scenario{Name: "punch-vs-read-faults-only-locked",
		Summary: "the same, only faults locked out (ext4 4.5-5.14)",
		Design:  "ext4-i_mmap_sem", Seed: "001",
		Doc: "punch hole vs read(2) when only faults are locked out (i_mmap_sem): readahead adds the page " +
			"from the block being freed; no lock report, only stale data",
		Expect: Expect{Verdict: "reported", OracleDesc: "stale reads > 0",
			Oracle: func(c cache.Counts) bool { return c.StaleReads > 0 }},
		Script: punchVsRead, Stress: punchStress})
	register(&Scenario{Name: "freeze-vs-fault",
		Summary: "freezing the file system during writes and faults",
		Design:  "ext4", Seed: "",
		Doc: "freeze_super takes sb_writers, sb_pagefaults and sb_internal for write while write(2) copies " +
			"from a faulting buffer and page_mkwrite takes sb_pagefaults under mmap_lock",
		Expect: clean, Script: freezeVsFault, Stress: freezeStress})
	register(&Scenario{Name: "freeze-vs-fault-sb-start-write",
		Summary: "the same, page_mkwrite calling sb_start_write",
		Design:  "ext4-fault-sb-start-write", Seed: "",
		Doc: "page_mkwrite that takes sb_writers under mmap_lock: mmap_lock -> sb_writers against write(2)'s " +
			"sb_writers -> i_rwsem -> mmap_lock",
		Expect: Expect{Verdict: "reported", Kind: lockdep.Circular, Classes: []string{"sb_writers", "mmap_lock"}},
		Script: freezeVsFault, Stress: freezeStress})
	register(&Scenario{Name: "dio-wait-vs-completion",
		Summary: "truncate waits for direct I/O to complete",
		Design:  "xfs", Seed: "004",
		Doc: "inode_dio_wait validated as a pseudo-lock that completions hold: XFS truncate waits with " +
			"IOLOCK and MMAPLOCK held, and completions take neither",
		Expect: clean, Script: dioWaitVsCompletion, Stress: dioStress})
	register(&Scenario{Name: "dio-completion-takes-invalidate-lock",
		Summary: "the same, the completion taking MMAPLOCK",
		Design:  "xfs-dio-completion-locks-mapping", Seed: "004",
		Doc: "a direct-write completion that takes MMAPLOCK shared, which truncate holds exclusive while it " +
			"waits for the completion: invalidate_lock -> i_dio_count -> invalidate_lock, reported before " +
			"any run hangs",
		Expect: Expect{Verdict: "reported", Kind: lockdep.Circular, Classes: []string{"invalidate_lock", "i_dio_count"}},
		Script: dioWaitVsCompletion, Stress: Stress{Skip: "a truncate that starts while a write is in flight " +
			"deadlocks for real, and the watchdog would call the run hung; the script shows the cycle without it"}})
	register(&Scenario{Name: "bcachefs-dio-cross-file-trylock",
		Summary: "bcachefs direct write from a file being written",
		Design:  "bcachefs-trylock-retry", Seed: "003",
		Doc: "a direct write from a mapping of a file another direct write holds in the block state: under its " +
			"own block state a fault only tries the other file's add state, and the write drops its block state, " +
			"waits and retries",
		Expect: clean, Script: crossFileDIO, Stress: bchCrossStress})
	register(&Scenario{Name: "bcachefs-dio-cross-file",
		Summary: "the same with the task pointer only: may deadlock",
		Design:  "bcachefs-recursion-aware", Seed: "003",
		Doc: "the same writes when the task pointer exempts only the write's own file: block(A) -> mmap_lock -> " +
			"add(B) against block(B) -> mmap_lock -> add(A). Waiting for add(B) is waiting for block(B) with " +
			"block(A) held, two instances of one class, so it is reported as recursive locking of " +
			"pagecache_block, as lockdep checks that before it looks for the cycle through mmap_lock",
		Expect: Expect{Verdict: "reported", Kind: lockdep.Recursive, Classes: []string{"pagecache_block"}, TwoInstances: true},
		Script: crossFileDIO, Stress: Stress{Skip: "two writers that each fault on the other's file deadlock for " +
			"real under a random workload; the script shows the cycle from one side"}})
	register(&Scenario{Name: "fuse-dax-pinned-vs-punch",
		Summary: "FUSE DAX punch while direct I/O pins its memory",
		Design:  "fuse-dax-full", Seed: "004",
		Doc: "a direct read of another file into a DAX mapping of the file being punched: breaking the " +
			"layout waits for the pinned block before the server frees it",
		Expect: clean, Script: daxPinnedVsPunch, Stress: fuseStress})
	register(&Scenario{Name: "fuse-dax-pinned-vs-punch-no-wait",
		Summary: "the same, punch only unmapping: DMA to freed block",
		Design:  "fuse-dax-no-pin-wait", Seed: "004",
		Doc: "the same punch when breaking the layout only unmaps: the pinned block is freed and reused " +
			"while the I/O still writes into it",
		Expect: Expect{Verdict: "reported", OracleDesc: "freed in use > 0",
			Oracle: func(c cache.Counts) bool { return c.FreedInUse > 0 }},
		Script: daxPinnedVsPunch, Stress: fuseStress})
	register(&Scenario{Name: "xfs-exchange-range", InstanceOrders: true,
		Summary: "XFS exchange-range: two ILOCKs by inode number",
		Design:  "xfs", Seed: "000",
		Doc: "exchange-range swaps two files' extents in one transaction, both ILOCKs taken by " +
			"xfs_lock_two_inodes in inode-number order (the ILOCK instance order)",
		Expect: clean, Script: exchangeRange, Stress: exchangeStress})
	register(&Scenario{Name: "xfs-exchange-range-ilock-by-address", CompareClassic: true,
		Summary: "the same, the two ILOCKs taken by address",
		Design:  "xfs-exchange-ilock-by-address", Seed: "000",
		Doc: "exchange-range taking the two ILOCKs in address order with the same subclass annotations: an " +
			"order violation of the ILOCK instances, which subclass-only validation does not see",
		Expect: Expect{Verdict: "reported", Kind: lockdep.OrderViolation, Classes: []string{"ILOCK"}, TwoInstances: true},
		Script: exchangeRange, Stress: exchangeStress})
}
