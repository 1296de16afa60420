package fsimpl

import (
	"fmt"

	"github.com/golockdep/lockdep/cache"
)

// Freeze protection: three per-superblock rw_semaphores that freezing
// would take for write, level by level. Writers of file data take the
// first shared (sb_start_write, outermost: before i_rwsem); page_mkwrite
// the second (sb_start_pagefault, under mmap_lock); a transaction the
// third: sb_start_intwrite in xfs_trans_alloc, which XFS takes under page
// locks, or ext4's journal handle, which ext4 starts before it locks a
// page (ext4_do_writepages, ext4_write_begin); both before ILOCK /
// i_data_sem. Nothing here freezes, so they only
// ever add dependencies, which is what the validator needs to check the
// order.
const (
	sbFreezeWrite = iota
	sbFreezePagefault
	sbFreezeFS
	sbLevels
)

var sbNames = [sbLevels]string{"sb_writers", "sb_pagefaults", "sb_internal"}

func (fs *FS) initSB() {
	for i := range fs.sb {
		name := sbNames[i]
		if i == sbFreezeFS && fs.Design.Kind == "ext4" {
			name = "jbd2_handle"
		}
		fs.sb[i].Init(fmt.Sprintf("%s:%s", fs.typ.name, name), &fs.typ.sb[i])
		fs.W.Track(&fs.sb[i])
	}
}

// Freeze is freeze_super followed by thaw_super: the three levels taken
// for write in order (sb_wait_write for SB_FREEZE_WRITE, then
// SB_FREEZE_PAGEFAULT, then SB_FREEZE_FS), each waiting for the holders
// of that level to finish, then released. It passes the pause point
// "freeze:write" with the first level held.
func (fs *FS) Freeze(t *cache.Task) {
	for l := range fs.sb {
		fs.sb[l].DownWrite()
		if l == sbFreezeWrite {
			fs.W.Sched.Point("freeze:write")
		}
	}
	for l := len(fs.sb) - 1; l >= 0; l-- {
		fs.sb[l].UpWrite()
	}
}

// sbStart takes freeze protection at level l; sbEnd drops it.
func (fs *FS) sbStart(l int) { fs.sb[l].DownRead() }
func (fs *FS) sbEnd(l int)   { fs.sb[l].UpRead() }

// transStart starts a transaction on ip's file system (before ILOCK).
func (ip *Inode) transStart() { ip.FS.sbStart(sbFreezeFS) }
func (ip *Inode) transEnd()   { ip.FS.sbEnd(sbFreezeFS) }

// transStartTask starts a transaction for task t and returns its end. A
// transaction runs in a no-fs scope, so that its allocations never wait
// for reclaim that needs the locks it holds: xfs_trans_alloc and
// jbd2__journal_start both call memalloc_nofs_save. The design
// TransNoNOFS leaves the scope out.
func (ip *Inode) transStartTask(t *cache.Task) (end func()) {
	ip.transStart()
	if t == nil || ip.FS.Design.TransNoNOFS {
		return ip.transEnd
	}
	restore := t.MemallocNofsSave()
	return func() {
		restore()
		ip.transEnd()
	}
}
