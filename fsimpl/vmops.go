package fsimpl

import "github.com/golockdep/lockdep/cache"

// vmops are the fault handlers of a page-cache file mapping.
type vmops struct{ ip *Inode }

// Fault is ->fault: filemap_fault (ext4_filemap_fault, xfs_filemap_fault
// for a read fault), wrapped as each design wraps it.
func (v vmops) Fault(t *cache.Task, vma *cache.VMA, idx uint64) (*cache.Page, error) {
	ip := v.ip
	if ip.FS.Design.FaultTakesIRwsem {
		// Serialising against punch with i_rwsem, under mmap_lock.
		ip.IRwsem.DownRead()
		defer ip.IRwsem.UpRead()
	}
	return ip.Mapping.FilemapFault(t, idx)
}

// PageMkwrite is ->page_mkwrite: the design's fault lock shared, then the
// page locked and dirtied (ext4_page_mkwrite, xfs_write_fault).
func (v vmops) PageMkwrite(t *cache.Task, vma *cache.VMA, p *cache.Page) (bool, error) {
	ip := v.ip
	m := ip.Mapping
	// sb_start_pagefault: a fault runs under mmap_lock, so it must not
	// take sb_writers, which write(2) holds across i_rwsem and the copy
	// from user memory (FaultStartsWrite shows why).
	level := sbFreezePagefault
	if ip.FS.Design.FaultStartsWrite {
		level = sbFreezeWrite
	}
	ip.FS.sbStart(level)
	defer ip.FS.sbEnd(level)
	switch {
	case ip.FS.Design.Kind == "xfs":
		xfsIlock(ip, xfsMmaplockShared)
		defer xfsIunlock(ip, xfsMmaplockShared)
	case m.Guard.LocksOutFaults():
		m.InvalidateLock.DownRead()
		defer m.InvalidateLock.UpRead()
	case m.Guard == cache.GuardTwoState:
		unlock, err := m.LockAddFault(t)
		if err != nil {
			return false, err
		}
		defer unlock()
	}
	if p.Idx >= ip.Size() {
		return false, cache.ErrSigbus
	}
	if !m.PageMkwrite(t, p) {
		return false, nil
	}
	ip.delallocReserve(p.Idx)
	return true, nil
}

// delallocReserve is the block reservation page_mkwrite makes with the page
// locked: XFS looks up and reserves delalloc blocks under ILOCK exclusive
// (xfs_buffered_write_iomap_begin); ext4 under i_data_sem shared
// (ext4_da_map_blocks). Blocks are allocated at writeback.
func (ip *Inode) delallocReserve(idx uint64) {
	if ip.FS.Design.Kind == "xfs" {
		ip.ILock.DownWrite()
		defer ip.ILock.UpWrite()
	} else {
		ip.ILock.DownRead()
		defer ip.ILock.UpRead()
	}
	_ = ip.ext[idx]
}
