package fsimpl

import "github.com/golockdep/lockdep/cache"

func invalidateLockTwo(a, b *Inode)   { cache.InvalidateLockTwo(a.Mapping, b.Mapping) }
func invalidateUnlockTwo(a, b *Inode) { cache.InvalidateUnlockTwo(a.Mapping, b.Mapping) }

// Remap is remap_file_range: share src's blocks for pages [sidx, sidx+n)
// into dst at didx (reflink), or, with dedupe, only if both ranges hold
// the same data. It reports whether the range was remapped. Only XFS has
// it; others return ErrNotSupported.
//
// Both files' IOLOCK and MMAPLOCK are held exclusive throughout
// (xfs_ilock2_io_mmap); direct I/O is waited for and both ranges written
// back; the dedupe compare reads pages with read_mapping_page, which
// expects MMAPLOCK held, and locks each pair of pages by increasing index
// (vfs_lock_two_folios);
// then dst's page cache over the range is dropped and each extent is
// remapped: src's ILOCK shared to read it, then dst's ILOCK exclusive.
func (fs *FS) Remap(t *cache.Task, src *Inode, sidx uint64, dst *Inode, didx, n uint64, dedupe bool) (bool, error) {
	fs.sbStart(sbFreezeWrite)
	defer fs.sbEnd(sbFreezeWrite)
	return fs.remap(t, src, sidx, dst, didx, n, dedupe)
}

// remap is Remap under freeze protection.
func (fs *FS) remap(t *cache.Task, src *Inode, sidx uint64, dst *Inode, didx, n uint64, dedupe bool) (bool, error) {
	if fs.Design.Kind != "xfs" || src == dst {
		return false, ErrNotSupported
	}
	if fs.Design.MmaplockByIno && !dedupe {
		lockTwoNondirectories(src, dst)
		defer unlockTwoNondirectories(src, dst)
		xfsLockTwoInodes(src, xfsMmaplockExcl, dst, xfsMmaplockExcl)
		defer xfsUnlockTwoInodes(src, xfsMmaplockExcl, dst, xfsMmaplockExcl)
	} else {
		xfsIlock2IoMmap(src, dst)
		defer xfsIunlock2IoMmap(src, dst)
	}
	src.inodeDioWait()
	dst.inodeDioWait()
	if size := src.Size(); sidx+n > size {
		if sidx >= size {
			return false, nil
		}
		n = size - sidx
	}
	src.Mapping.WriteAndWaitRange(t, sidx, sidx+n)
	dst.Mapping.WriteAndWaitRange(t, didx, didx+n)
	if dedupe && !fs.dedupeCompare(t, src, sidx, dst, didx, n) {
		return false, nil
	}
	o := fs.W.Oracle
	var cs cache.Changes
	for i := uint64(0); i < n; i++ {
		cs = append(cs, o.Begin(dst.Ino, didx+i, o.Current(src.Ino, sidx+i)))
	}
	dst.Mapping.TruncatePagecacheRange(t, didx, didx+n)
	for i := uint64(0); i < n; i++ {
		b, unwritten := src.mapRead(sidx + i)
		dst.transStart()
		dst.ILock.DownWrite()
		dst.freeRangeLocked(didx+i, didx+i+1, "remap")
		if b >= 0 && !unwritten {
			fs.W.Dev.Ref(b)
			dst.ext[didx+i] = extent{blk: b}
		}
		dst.ILock.UpWrite()
		dst.transEnd()
	}
	dst.extend(didx + n)
	cs.Commit()
	return true, nil
}

// dedupeCompare is vfs_dedupe_file_range_compare, called with both
// MMAPLOCKs held exclusive.
func (fs *FS) dedupeCompare(t *cache.Task, src *Inode, sidx uint64, dst *Inode, didx, n uint64) bool {
	if fs.Design.DedupeViaReadPath {
		// Reading through filemap_read: a page that is not cached is
		// added under invalidate_lock shared, which this task holds
		// exclusive.
		t0 := fs.W.Oracle.Now()
		for i := uint64(0); i < n; i++ {
			a := src.Mapping.ReadPage(t, sidx+i, t0, "dedupe compare")
			b := dst.Mapping.ReadPage(t, didx+i, t0, "dedupe compare")
			if a != b {
				return false
			}
		}
		return true
	}
	for i := uint64(0); i < n; i++ {
		a := src.Mapping.ReadMappingPage(t, sidx+i)
		b := dst.Mapping.ReadMappingPage(t, didx+i)
		if !comparePages(src, a, dst, b) {
			return false
		}
	}
	return true
}

// comparePages is the body of vfs_dedupe_file_range_compare's loop: lock
// both pages by increasing index (vfs_lock_two_folios), check they are
// still uptodate and in their files, and compare their data.
func comparePages(src *Inode, a *cache.Page, dst *Inode, b *cache.Page) bool {
	cache.LockTwoPages(a, b)
	defer cache.UnlockTwoPages(a, b)
	return a.Uptodate() && b.Uptodate() && a.Mapping() == src.Mapping && b.Mapping() == dst.Mapping &&
		a.Data() == b.Data()
}

// CopyFileRange is copy_file_range: a reflink where the file system has
// one, otherwise a page-by-page copy that reads the source and writes the
// destination, never holding both files' locks across the copy.
func (fs *FS) CopyFileRange(t *cache.Task, src *Inode, sidx uint64, dst *Inode, didx, n uint64) error {
	fs.sbStart(sbFreezeWrite)
	defer fs.sbEnd(sbFreezeWrite)
	if ok, err := fs.remap(t, src, sidx, dst, didx, n, false); err == nil && ok {
		return nil
	}
	for i := uint64(0); i < n && sidx+i < src.Size(); i++ {
		s := fs.readKernel(t, src, sidx+i)
		fs.writeKernel(t, dst, didx+i, s)
	}
	return nil
}

// readKernel reads one page into a kernel buffer (splice).
func (fs *FS) readKernel(t *cache.Task, ip *Inode, idx uint64) cache.Stamp {
	t0 := fs.W.Oracle.Now()
	switch fs.Design.Kind {
	case "xfs":
		xfsIlock(ip, xfsIolockShared)
		defer xfsIunlock(ip, xfsIolockShared)
	case "fuse-dax":
		ip.IRwsem.DownRead()
		defer ip.IRwsem.UpRead()
		s := ip.readBlock(idx)
		fs.W.Oracle.CheckRead(ip.Ino, idx, s, t0, "copy_file_range read")
		return s
	}
	return ip.Mapping.ReadPage(t, idx, t0, "copy_file_range read")
}

// writeKernel writes one page from a kernel buffer (splice), under the
// caller's freeze protection.
func (fs *FS) writeKernel(t *cache.Task, ip *Inode, idx uint64, s cache.Stamp) {
	switch fs.Design.Kind {
	case "xfs":
		xfsIlock(ip, xfsIolockExcl)
		defer xfsIunlock(ip, xfsIolockExcl)
	default:
		ip.IRwsem.DownWrite()
		defer ip.IRwsem.UpWrite()
	}
	if fs.Design.Kind == "fuse-dax" {
		ip.writeBlockSet(idx, s, "DAX write")
		ip.extend(idx + 1)
		return
	}
	fs.writePageLocked(ip, idx, s)
}
