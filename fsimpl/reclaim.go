package fsimpl

import "github.com/golockdep/lockdep/cache"

// Reclaim is one pass of memory reclaim over the file system's inode
// cache (the inode shrinker, from kswapd or direct reclaim): with
// fs_reclaim held, each inode's ILOCK (ext4: i_data_sem) is taken, as
// evicting an inode does when it must change the inode on disk
// (xfs_inactive when it still ran from reclaim, before 5.15's background
// inactivation; ext4_evict_inode). Nothing else is modelled: reclaim here
// only adds the dependency fs_reclaim -> ILOCK.
func (fs *FS) Reclaim(t *cache.Task) {
	defer fs.W.ReclaimBegin()()
	for _, ip := range fs.Inodes() {
		ip.ILock.DownWrite()
		fs.W.Sched.Point("reclaim:inode")
		ip.ILock.UpWrite()
	}
}

// Inodes returns the file system's inodes, in creation order.
func (fs *FS) Inodes() []*Inode {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]*Inode(nil), fs.inodes...)
}
