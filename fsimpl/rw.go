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

// bufferedWriteLocked is generic_perform_write, with i_rwsem held: the
// user data is copied in first (which may fault: i_rwsem -> mmap_lock),
// then the page is locked, updated and dirtied.
func (fs *FS) bufferedWriteLocked(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	for i := uint64(0); i < n; i++ {
		s, err := t.MM.Load(t, vpn+i)
		if err != nil {
			return err
		}
		fs.writePageLocked(ip, idx+i, s)
	}
	return nil
}

// writePageLocked puts s in page idx of the cache and dirties it.
func (fs *FS) writePageLocked(ip *Inode, idx uint64, s cache.Stamp) {
	p := ip.Mapping.GrabPageLocked(idx)
	fs.W.Oracle.Set(ip.Ino, idx, s, func() { p.SetData(s) })
	p.MarkUptodate()
	p.SetDirty()
	p.Lock.Unlock()
	ip.extend(idx + 1)
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
