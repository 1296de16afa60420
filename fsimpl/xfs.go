package fsimpl

import "github.com/golockdep/lockdep/cache"

// xfsTruncate is xfs_setattr_size: IOLOCK (the VFS's i_rwsem) and
// MMAPLOCK exclusive, wait for direct I/O, then the page cache and the
// extents (ILOCK exclusive, in xfs_itruncate_extents).
func (fs *FS) xfsTruncate(t *cache.Task, ip *Inode, size uint64) error {
	const mode = xfsIolockExcl | xfsMmaplockExcl
	xfsIlock(ip, mode)
	defer xfsIunlock(ip, mode)
	fs.truncateLocked(t, ip, size, !fs.Design.TruncateNoDioWait)
	return nil
}

// xfsFallocate is xfs_file_fallocate: IOLOCK and MMAPLOCK exclusive for
// the whole operation; xfs_flush_unmap_range waits for direct I/O, writes
// back and truncates the page cache before the extents change.
func (fs *FS) xfsFallocate(t *cache.Task, ip *Inode, mode Falloc, idx, n uint64) error {
	const lock = xfsIolockExcl | xfsMmaplockExcl
	xfsIlock(ip, lock)
	defer xfsIunlock(ip, lock)
	return fs.fallocateLocked(t, ip, mode, idx, n)
}
