package fsimpl

// xfs_ilock flag words. The low bits say which of the three locks to take
// and how; above them, each lock has a field holding its lockdep subclass,
// so one word carries a whole nesting annotation (xfs_lock_inumorder sets
// it from the inode's position in xfs_lock_two_inodes). IOLOCK and
// MMAPLOCK have four bits each; ILOCK has eight values and uses all of
// lockdep's eight subclasses: 0..4 for inode-number order, 5 for a parent
// directory, 6 and 7 for the realtime bitmap and summary inodes.
const (
	xfsIolockExcl uint32 = 1 << iota
	xfsIolockShared
	xfsMmaplockExcl
	xfsMmaplockShared
	xfsIlockExcl
	xfsIlockShared

	xfsIolockShift   = 16
	xfsMmaplockShift = 20
	xfsIlockShift    = 24

	xfsIlockParentVal   = 5
	xfsIlockRtbitmapVal = 6
	xfsIlockRtsumVal    = 7
	xfsIlockMaxInum     = 4
)

func xfsIolockDep(f uint32) int   { return int(f >> xfsIolockShift & 0xf) }
func xfsMmaplockDep(f uint32) int { return int(f >> xfsMmaplockShift & 0xf) }
func xfsIlockDep(f uint32) int    { return int(f >> xfsIlockShift & 0xff) }

// xfsLockInumorder encodes subclass into the field of each lock in mode.
func xfsLockInumorder(mode uint32, subclass int) uint32 {
	if mode&(xfsIolockExcl|xfsIolockShared) != 0 {
		mode |= uint32(subclass) << xfsIolockShift
	}
	if mode&(xfsMmaplockExcl|xfsMmaplockShared) != 0 {
		mode |= uint32(subclass) << xfsMmaplockShift
	}
	if mode&(xfsIlockExcl|xfsIlockShared) != 0 {
		if subclass > xfsIlockMaxInum {
			panic("xfs: too many inodes in xfs_lock_inumorder")
		}
		mode |= uint32(subclass) << xfsIlockShift
	}
	return mode
}

// xfsIlock takes the locks named by f, in the order IOLOCK (i_rwsem),
// MMAPLOCK (invalidate_lock), ILOCK, each with its encoded subclass.
func xfsIlock(ip *Inode, f uint32) {
	switch {
	case f&xfsIolockExcl != 0:
		ip.IRwsem.DownWriteNested(xfsIolockDep(f))
	case f&xfsIolockShared != 0:
		ip.IRwsem.DownReadNested(xfsIolockDep(f))
	}
	switch {
	case f&xfsMmaplockExcl != 0:
		ip.Mapping.InvalidateLock.DownWriteNested(xfsMmaplockDep(f))
	case f&xfsMmaplockShared != 0:
		ip.Mapping.InvalidateLock.DownReadNested(xfsMmaplockDep(f))
	}
	switch {
	case f&xfsIlockExcl != 0:
		ip.ILock.DownWriteNested(xfsIlockDep(f))
	case f&xfsIlockShared != 0:
		ip.ILock.DownReadNested(xfsIlockDep(f))
	}
}

// xfsIunlock releases the locks named by f, innermost first.
func xfsIunlock(ip *Inode, f uint32) {
	switch {
	case f&xfsIlockExcl != 0:
		ip.ILock.UpWrite()
	case f&xfsIlockShared != 0:
		ip.ILock.UpRead()
	}
	switch {
	case f&xfsMmaplockExcl != 0:
		ip.Mapping.InvalidateLock.UpWrite()
	case f&xfsMmaplockShared != 0:
		ip.Mapping.InvalidateLock.UpRead()
	}
	switch {
	case f&xfsIolockExcl != 0:
		ip.IRwsem.UpWrite()
	case f&xfsIolockShared != 0:
		ip.IRwsem.UpRead()
	}
}

// xfsLockTwoInodes locks two inodes in inode-number order, the first with
// subclass 0 and the second with subclass 1 (xfs_lock_two_inodes).
func xfsLockTwoInodes(a *Inode, amode uint32, b *Inode, bmode uint32) {
	if a.Ino > b.Ino {
		a, b, amode, bmode = b, a, bmode, amode
	}
	xfsIlock(a, xfsLockInumorder(amode, 0))
	xfsIlock(b, xfsLockInumorder(bmode, 1))
}

// xfsUnlockTwoInodes undoes xfsLockTwoInodes.
func xfsUnlockTwoInodes(a *Inode, amode uint32, b *Inode, bmode uint32) {
	if a.Ino > b.Ino {
		a, b, amode, bmode = b, a, bmode, amode
	}
	xfsIunlock(b, bmode)
	xfsIunlock(a, amode)
}

// xfsIlock2IoMmap takes both IOLOCKs (lock_two_nondirectories: address
// order, I_MUTEX_NONDIR2) and then both MMAPLOCKs
// (filemap_invalidate_lock_two: address order, subclass 1).
func xfsIlock2IoMmap(a, b *Inode) {
	lockTwoNondirectories(a, b)
	invalidateLockTwo(a, b)
}

// xfsIunlock2IoMmap undoes xfsIlock2IoMmap.
func xfsIunlock2IoMmap(a, b *Inode) {
	invalidateUnlockTwo(a, b)
	unlockTwoNondirectories(a, b)
}
