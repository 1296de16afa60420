package scenario

// reclaimVsTransaction: memory reclaim evicts inodes with fs_reclaim held
// and takes their ILOCK; a transaction allocates memory under ILOCK. In
// XFS the transaction runs in a no-fs scope (xfs_trans_alloc ->
// memalloc_nofs_save), so its allocation never recurses into reclaim;
// without the scope, ILOCK -> fs_reclaim against reclaim's fs_reclaim ->
// ILOCK is a cycle: the allocation waits for reclaim, which waits for the
// ILOCK the allocating task holds. Faults and readahead allocate
// page-cache pages too (mmap_lock, invalidate_lock -> fs_reclaim), and
// readahead does it in a no-fs scope. No run needs to deadlock for the
// validator to see the cycle.
func reclaimVsTransaction(e *Env) error {
	t := e.Task("app")
	kswapd := e.Task("kswapd")
	f, g := e.FS.Create(), e.FS.Create()
	if err := e.FillDirect(t, g, 0, 4); err != nil { // nothing cached
		return err
	}
	v := e.FS.Mmap(t, g, 0, 4, false)
	if _, err := t.MM.Load(t, v+1); err != nil { // a page-cache allocation in a fault
		return err
	}
	if err := e.Fill(t, f, 0, 4); err != nil {
		return err
	}
	e.FS.Writeback(t, f) // block allocation in a transaction, under ILOCK
	e.FS.Reclaim(kswapd)
	if err := e.ReadBack(t, f, 0, 4); err != nil {
		return err
	}
	return e.ReadBack(t, g, 0, 4)
}
