package fsimpl

import "github.com/golockdep/lockdep/cache"

// ext4Truncate is ext4_setattr's size change: i_rwsem exclusive (taken by
// the VFS), inode_dio_wait, invalidate_lock exclusive, then the page cache
// and the extents (i_data_sem exclusive).
func (fs *FS) ext4Truncate(t *cache.Task, ip *Inode, size uint64) error {
	ip.IRwsem.DownWrite()
	defer ip.IRwsem.UpWrite()
	ip.inodeDioWait()
	if ip.Mapping.Guard.LocksOutFaults() {
		ip.Mapping.InvalidateLock.DownWrite()
		defer ip.Mapping.InvalidateLock.UpWrite()
	}
	fs.truncateLocked(t, ip, size, false)
	return nil
}

// ext4Fallocate is ext4_fallocate for punch, zero, collapse and insert:
// i_rwsem exclusive, then invalidate_lock exclusive before any dirty page
// is written back, held until the extents have changed. The design
// without invalidate_lock has only i_rwsem, which faults do not take.
func (fs *FS) ext4Fallocate(t *cache.Task, ip *Inode, mode Falloc, idx, n uint64) error {
	ip.IRwsem.DownWrite()
	defer ip.IRwsem.UpWrite()
	if ip.Mapping.Guard.LocksOutFaults() {
		ip.Mapping.InvalidateLock.DownWrite()
		defer ip.Mapping.InvalidateLock.UpWrite()
	}
	return fs.fallocateLocked(t, ip, mode, idx, n)
}
