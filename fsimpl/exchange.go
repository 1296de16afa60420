package fsimpl

import "github.com/golockdep/lockdep/cache"

// ExchangeRange swaps the extents of pages [idx, idx+n) of a and b: XFS's
// exchange-range (xfs_exchange_range; xfs_swap_extents before it). Both
// IOLOCKs and MMAPLOCKs are held exclusive (xfs_ilock2_io_mmap), direct
// I/O is waited for, both ranges are written back and dropped from the
// page cache, and then, inside one transaction, both ILOCKs are taken in
// inode-number order (xfs_lock_two_inodes, subclasses 0 and 1 encoded in
// the flag words) and the extents swapped. Only XFS has it.
//
// The design ExchangeIlockByAddr takes the two ILOCKs in address order
// instead, with the same subclass annotations: subclass validation cannot
// tell, the ILOCK class's instance order (inode number) can.
func (fs *FS) ExchangeRange(t *cache.Task, a, b *Inode, idx, n uint64) error {
	fs.sbStart(sbFreezeWrite)
	defer fs.sbEnd(sbFreezeWrite)
	if fs.Design.Kind != "xfs" || a == b {
		return ErrNotSupported
	}
	xfsIlock2IoMmap(a, b)
	defer xfsIunlock2IoMmap(a, b)
	a.inodeDioWait()
	b.inodeDioWait()
	if idx+n > a.Size() || idx+n > b.Size() {
		return ErrRange
	}
	end := idx + n
	for _, ip := range []*Inode{a, b} {
		ip.Mapping.WriteAndWaitRange(t, idx, end)
		ip.Mapping.TruncatePagecacheRange(t, idx, end)
	}
	o := fs.W.Oracle
	var cs cache.Changes
	for i := idx; i < end; i++ {
		ca, cb := o.Current(a.Ino, i), o.Current(b.Ino, i)
		cs = append(cs, o.Begin(a.Ino, i, cb), o.Begin(b.Ino, i, ca))
	}
	fs.W.Sched.Point("exchange:before-swap")
	endTrans := a.transStartTask(t)
	first, second := a, b
	if fs.Design.ExchangeIlockByAddr {
		if first.ILock.LockdepMap().Addr() > second.ILock.LockdepMap().Addr() {
			first, second = second, first
		}
		first.ILock.DownWriteNested(0)
		second.ILock.DownWriteNested(1)
	} else {
		xfsLockTwoInodes(a, xfsIlockExcl, b, xfsIlockExcl)
	}
	dev := fs.W.Dev
	for i := idx; i < end; i++ {
		ea, oka := a.ext[i]
		eb, okb := b.ext[i]
		delete(a.ext, i)
		delete(b.ext, i)
		if okb {
			a.ext[i] = eb
			dev.SetOwner(eb.blk, a.owner(i))
		}
		if oka {
			b.ext[i] = ea
			dev.SetOwner(ea.blk, b.owner(i))
		}
	}
	if fs.Design.ExchangeIlockByAddr {
		second.ILock.UpWrite()
		first.ILock.UpWrite()
	} else {
		xfsUnlockTwoInodes(a, xfsIlockExcl, b, xfsIlockExcl)
	}
	endTrans()
	cs.Commit()
	return nil
}
