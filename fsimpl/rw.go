package fsimpl

import "github.com/golockdep/lockdep/cache"

// Read reads up to n pages of ip from page idx into the task's user
// buffer at virtual page vpn (read(2)). The copy to the user buffer may
// fault, and the buffer may map a file.
func (fs *FS) Read(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	switch fs.Design.Kind {
	case "xfs":
		xfsIlock(ip, xfsIolockShared)
		defer xfsIunlock(ip, xfsIolockShared)
	case "fuse-dax":
		return fs.daxRead(t, ip, idx, n, vpn)
	}
	return fs.bufferedRead(t, ip, idx, n, vpn)
}

// bufferedRead is generic_file_read_iter's buffered path: filemap_read
// page by page, each copied to the user while no page-cache lock is held.
func (fs *FS) bufferedRead(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	t0 := fs.W.Oracle.Now()
	size := ip.Size()
	for i := uint64(0); i < n && idx+i < size; i++ {
		s := ip.Mapping.ReadPage(t, idx+i, t0, "buffered read")
		if err := t.MM.Store(t, vpn+i, s); err != nil {
			return err
		}
	}
	return nil
}

// Write writes n pages from the task's user buffer at vpn to ip at page
// idx (write(2)), extending the file.
func (fs *FS) Write(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	fs.sbStart(sbFreezeWrite)
	defer fs.sbEnd(sbFreezeWrite)
	if fs.Design.Kind == "fuse-dax" {
		return fs.daxWrite(t, ip, idx, n, vpn)
	}
	return fs.bufferedWrite(t, ip, idx, n, vpn)
}

// bufferedWrite is the file system's buffered write under the caller's
// freeze protection: i_rwsem (XFS: IOLOCK) exclusive, then
// generic_perform_write.
func (fs *FS) bufferedWrite(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	if fs.Design.Kind == "xfs" {
		xfsIlock(ip, xfsIolockExcl)
		defer xfsIunlock(ip, xfsIolockExcl)
	} else {
		ip.IRwsem.DownWrite()
		defer ip.IRwsem.UpWrite()
	}
	return fs.bufferedWriteLocked(t, ip, idx, n, vpn)
}

// bufferedWriteLocked is generic_perform_write, with i_rwsem held. For
// each page: fault the user page in (fault_in_iov_iter_readable, which
// may fault: i_rwsem -> mmap_lock, with no page locked), lock the page
// (->write_begin), copy with page faults disabled
// (copy_page_from_iter_atomic), and if the user page was unmapped in
// between (a punch or truncate of the file it maps) unlock and start the
// page again. The user buffer may map the very page being written: the
// copy then reads the page this task holds locked, which needs no lock.
//
// The design that copies with faults enabled under the page lock
// (CopyUnderPageLock) takes mmap_lock, and through a fault
// invalidate_lock and a page lock, under a page lock: page -> mmap_lock
// against filemap_fault's mmap_lock -> invalidate_lock -> page, and a
// fault on the page being written waits for the lock its own task holds.
func (fs *FS) bufferedWriteLocked(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	for i := uint64(0); i < n; i++ {
		if err := fs.writeOnePage(t, ip, idx+i, vpn+i); err != nil {
			return err
		}
	}
	return nil
}

// maxShortCopies bounds the retries of one page after a short copy; the
// kernel retries while the prefault makes progress.
const maxShortCopies = 1000

func (fs *FS) writeOnePage(t *cache.Task, ip *Inode, idx, vpn uint64) error {
	if fs.Design.CopyUnderPageLock {
		return fs.writeOnePageFaulting(t, ip, idx, vpn)
	}
	for try := 0; try < maxShortCopies; try++ {
		if err := t.MM.FaultInReadable(t, vpn); err != nil {
			return err
		}
		fs.W.Sched.Point("write:begin")
		p := ip.Mapping.GrabPageLocked(idx)
		s, err := t.MM.CopyFromUserAtomic(t, vpn)
		if err != nil {
			p.Lock.Unlock()
			continue // a short copy: fault the page in again
		}
		fs.setPageLocked(ip, p, s)
		return nil
	}
	return cache.ErrFault
}

// writeOnePageFaulting is the CopyUnderPageLock design's copy: with the
// page locked, a load that may fault. The unlock is deferred: the fault
// may be aborted as a certain self-deadlock.
func (fs *FS) writeOnePageFaulting(t *cache.Task, ip *Inode, idx, vpn uint64) error {
	fs.W.Sched.Point("write:begin")
	p := ip.Mapping.GrabPageLocked(idx)
	locked := true
	defer func() {
		if locked {
			p.Lock.Unlock()
		}
	}()
	s, err := t.MM.Load(t, vpn)
	if err != nil {
		return err
	}
	locked = false
	fs.setPageLocked(ip, p, s)
	return nil
}

// writePageLocked puts s in page idx of the cache and dirties it.
func (fs *FS) writePageLocked(ip *Inode, idx uint64, s cache.Stamp) {
	fs.setPageLocked(ip, ip.Mapping.GrabPageLocked(idx), s)
}

// setPageLocked puts s in locked page p, dirties it, unlocks it and
// extends the file over it (->write_end).
func (fs *FS) setPageLocked(ip *Inode, p *cache.Page, s cache.Stamp) {
	fs.W.Oracle.Set(ip.Ino, p.Idx, s, func() { p.SetData(s) })
	p.MarkUptodate()
	p.SetDirty()
	p.Lock.Unlock()
	ip.extend(p.Idx + 1)
}

// extend raises the size to at least size pages.
func (ip *Inode) extend(size uint64) {
	for {
		old := ip.size.Load()
		if old >= size || ip.size.CompareAndSwap(old, size) {
			return
		}
	}
}

// Writeback writes back ip's dirty pages (the flusher thread).
func (fs *FS) Writeback(t *cache.Task, ip *Inode) { ip.Mapping.Writeback(t) }
