package fsimpl

import "github.com/golockdep/lockdep/cache"

// FUSE with DAX: file data is the device's blocks, mapped straight into
// processes; there is no page cache for data. read and write go to the
// blocks under i_rwsem; a fault maps a block under fuse_inode's
// i_mmap_sem shared. The server frees blocks when it handles
// FUSE_FALLOCATE.

func (fs *FS) daxRead(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	ip.IRwsem.DownRead()
	defer ip.IRwsem.UpRead()
	t0 := fs.W.Oracle.Now()
	for i := uint64(0); i < n && idx+i < ip.Size(); i++ {
		s := ip.readBlock(idx + i)
		fs.W.Oracle.CheckRead(ip.Ino, idx+i, s, t0, "DAX read")
		if err := t.MM.Store(t, vpn+i, s); err != nil {
			return err
		}
	}
	return nil
}

func (fs *FS) daxWrite(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	ip.IRwsem.DownWrite()
	defer ip.IRwsem.UpWrite()
	for i := uint64(0); i < n; i++ {
		s, err := t.MM.Load(t, vpn+i)
		if err != nil {
			return err
		}
		ip.writeBlockSet(idx+i, s, "DAX write")
		ip.extend(idx + i + 1)
	}
	return nil
}

// daxvmops are the fault handlers of a DAX mapping.
type daxvmops struct{ ip *Inode }

func (daxvmops) Fault(*cache.Task, *cache.VMA, uint64) (*cache.Page, error) {
	return nil, cache.ErrFault
}

func (daxvmops) PageMkwrite(*cache.Task, *cache.VMA, *cache.Page) (bool, error) {
	return false, cache.ErrFault
}

// DAXFault is __fuse_dax_fault: i_mmap_sem shared, then the block that
// backs the page (allocated and zeroed if there is none) is mapped before
// i_mmap_sem is dropped.
func (v daxvmops) DAXFault(t *cache.Task, vma *cache.VMA, idx, vpn uint64, write bool) error {
	ip := v.ip
	if write {
		ip.FS.sbStart(sbFreezePagefault)
		defer ip.FS.sbEnd(sbFreezePagefault)
	}
	ip.IMmapSem.DownRead()
	defer ip.IMmapSem.UpRead()
	if idx >= ip.Size() {
		return cache.ErrSigbus
	}
	vma.InstallDAX(vpn, ip.mapZeroed(idx), write)
	return nil
}

// breakLayouts is fuse_dax_break_layouts over pages [start, end): unmap
// them from every process (faults are kept out by i_mmap_sem, held
// exclusive), then wait until no direct I/O still pins their blocks
// (dax_layout_busy_page_range): a direct I/O whose user buffer is a DAX
// mapping of this file does DMA into these blocks, and neither i_rwsem
// nor this file's inode_dio_wait covers it, since the I/O is on another
// file. The design NoPinWait only unmaps.
func (ip *Inode) breakLayouts(start, end uint64) {
	ip.Mapping.UnmapRange(start, end)
	if ip.FS.Design.NoPinWait {
		return
	}
	ip.FS.W.Sched.Point("dax:break-layouts")
	var blks []int64
	ip.ILock.DownRead()
	for i, e := range ip.ext {
		if i >= start && i < end {
			blks = append(blks, e.blk)
		}
	}
	ip.ILock.UpRead()
	for _, b := range blks {
		ip.FS.W.Dev.WaitUnpinned(b)
	}
}

// fusePunch is fuse_file_fallocate(PUNCH_HOLE). With Dave Chinner's fix,
// i_mmap_sem is taken exclusive before anything else, the range's
// mappings are broken (unmapped, so stores fault and wait), direct I/O is
// waited for, and only then does the server free the blocks. The narrow
// design takes i_mmap_sem only around truncate_pagecache_range, after the
// server freed the blocks: a process that still maps them stores into
// freed blocks, which the next allocation hands to another file.
func (fs *FS) fusePunch(t *cache.Task, ip *Inode, idx, n uint64) error {
	ip.IRwsem.DownWrite()
	defer ip.IRwsem.UpWrite()
	m := ip.Mapping
	cs := fs.holes(ip, idx, min(idx+n, ip.Size()))
	narrow := fs.Design.FuseNarrowLock
	if !narrow {
		ip.IMmapSem.DownWrite()
		defer ip.IMmapSem.UpWrite()
		ip.breakLayouts(idx, idx+n)
		ip.inodeDioWait()
	}
	ip.freeRange(idx, idx+n, "FUSE_FALLOCATE punch in the server")
	fs.W.Sched.Point("fuse:punch:after-server")
	if narrow {
		ip.IMmapSem.DownWrite()
		m.TruncatePagecacheRange(t, idx, idx+n)
		ip.IMmapSem.UpWrite()
	} else {
		m.TruncatePagecacheRange(t, idx, idx+n)
	}
	cs.Commit()
	return nil
}
