package fsimpl

import (
	"errors"
	"fmt"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/lockdep"
)

// Direct I/O is modelled as asynchronous I/O: it is submitted under
// i_rwsem (write back and invalidate the page-cache range, pin the user
// buffer, map and pin the blocks, inode_dio_begin), and completes after
// i_rwsem is dropped, as io_submit does; inode_dio_wait is what truncate
// and punch must use to wait for it.
type dioReq struct {
	ip      *Inode
	idx     uint64
	write   bool
	pins    []*cache.Pinned
	blks    []int64
	data    []cache.Stamp
	t0      uint64
	changes cache.Changes
}

// DIORead reads n pages of ip from idx into the user buffer at vpn with
// O_DIRECT.
func (fs *FS) DIORead(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	return fs.dio(t, ip, idx, n, vpn, false)
}

// DIOWrite writes n pages from the user buffer at vpn to ip at idx with
// O_DIRECT.
func (fs *FS) DIOWrite(t *cache.Task, ip *Inode, idx, n, vpn uint64) error {
	fs.sbStart(sbFreezeWrite)
	defer fs.sbEnd(sbFreezeWrite)
	if fs.Design.Kind == "bcachefs" {
		return fs.bchDIOWrite(t, ip, idx, n, vpn)
	}
	return fs.dio(t, ip, idx, n, vpn, true)
}

func (fs *FS) dio(t *cache.Task, ip *Inode, idx, n, vpn uint64, write bool) error {
	r, err := fs.dioSubmitLocking(t, ip, idx, n, vpn, write)
	if errors.Is(err, errNotBlk) {
		// xfs_file_write_iter, ext4_dio_write_iter: fall back to a
		// buffered write, under the freeze protection already held.
		return fs.bufferedWrite(t, ip, idx, n, vpn)
	}
	if err != nil || r == nil {
		return err
	}
	fs.dioComplete(t, r)
	return nil
}

// errNotBlk is iomap_dio_rw's -ENOTBLK: the page cache over a direct
// write's range could not be invalidated before the I/O (a page was
// redirtied after it was written back), and the file system falls back
// to a buffered write.
var errNotBlk = errors.New("ENOTBLK: page cache invalidation failed, fall back to buffered I/O")

func (fs *FS) dioSubmitLocking(t *cache.Task, ip *Inode, idx, n, vpn uint64, write bool) (*dioReq, error) {
	switch fs.Design.Kind {
	case "xfs":
		// Aligned direct I/O takes IOLOCK shared, reads and writes alike.
		xfsIlock(ip, xfsIolockShared)
		defer xfsIunlock(ip, xfsIolockShared)
	default:
		if write {
			ip.IRwsem.DownWrite()
			defer ip.IRwsem.UpWrite()
		} else {
			ip.IRwsem.DownRead()
			defer ip.IRwsem.UpRead()
		}
	}
	if !write {
		if size := ip.Size(); idx+n > size {
			if idx >= size {
				return nil, nil
			}
			n = size - idx
		}
	}
	return fs.dioSubmit(t, ip, idx, n, vpn, write)
}

// dioSubmit is the part of iomap_dio_rw done under i_rwsem.
func (fs *FS) dioSubmit(t *cache.Task, ip *Inode, idx, n, vpn uint64, write bool) (*dioReq, error) {
	m := ip.Mapping
	r := &dioReq{ip: ip, idx: idx, write: write, t0: fs.W.Oracle.Now()}
	if fs.Design.Kind == "bcachefs" && write {
		// bch2_direct_write, with the block state held.
		fs.bchWriteInvalidate(t, ip, idx, idx+n, "direct write")
	} else {
		// kiocb_write_and_wait, kiocb_invalidate_pages.
		m.WriteAndWaitRange(t, idx, idx+n)
		if write && !m.InvalidatePages2Range(t, idx, idx+n) {
			return nil, errNotBlk
		}
	}
	pins, err := t.MM.PinPages(t, vpn, n, !write)
	if err != nil {
		return nil, err
	}
	r.pins = pins
	what := "direct read of " + ip.String()
	if write {
		what = "direct write of " + ip.String()
	}
	for i := uint64(0); i < n; i++ {
		var b int64
		if write {
			s := pins[i].Load()
			b = ip.mapWrite(t, idx+i)
			r.data = append(r.data, s)
			r.changes = append(r.changes, fs.W.Oracle.Begin(ip.Ino, idx+i, s))
		} else {
			var unwritten bool
			if b, unwritten = ip.mapRead(idx + i); unwritten {
				b = -1
			}
		}
		if b >= 0 {
			fs.W.Dev.Pin(b, fmt.Sprintf("%s page %d", what, idx+i))
		}
		r.blks = append(r.blks, b)
	}
	if write {
		ip.extend(idx + n)
	}
	ip.inodeDioBegin()
	return r, nil
}

// dioComplete does the I/O and completes it, with no inode lock held.
// A write's pages are written, converted, dropped from the page cache
// (pages faulted in meanwhile hold old data: iomap_dio_complete ->
// kiocb_invalidate_post_direct_write, which warns if a page was dirtied)
// and only then recorded as the file's content; completions of one file
// are serialised so that racing writes of a page are recorded in the
// order their data landed.
func (fs *FS) dioComplete(t *cache.Task, r *dioReq) {
	fs.W.Sched.Point("dio:io")
	ip := r.ip
	// What inode_dio_wait waits for: the completion's work, up to
	// inode_dio_end.
	ip.dioDep.Acquire(0, lockdep.Shared)
	defer ip.dioDep.Release()
	if r.write {
		ip.dioCommitMu.Lock()
	}
	for i, b := range r.blks {
		idx := r.idx + uint64(i)
		if r.write {
			fs.W.Dev.Write(b, ip.owner(idx), r.data[i], "direct write")
			ip.markWritten(idx, b)
			continue
		}
		var s cache.Stamp
		if b >= 0 {
			s = fs.W.Dev.Read(b)
		}
		fs.W.Oracle.CheckRead(ip.Ino, idx, s, r.t0, "direct read")
		r.pins[i].Store(s)
	}
	cache.UnpinAll(r.pins)
	for _, b := range r.blks {
		if b >= 0 {
			fs.W.Dev.Unpin(b)
		}
	}
	if r.write {
		if fs.Design.DioCompletionLocksMapping {
			ip.Mapping.InvalidateLock.DownRead()
		}
		ip.Mapping.InvalidatePostDirectWrite(t, r.idx, r.idx+uint64(len(r.blks)), "direct write")
		if fs.Design.DioCompletionLocksMapping {
			ip.Mapping.InvalidateLock.UpRead()
		}
		r.changes.Commit()
		ip.dioCommitMu.Unlock()
	}
	ip.inodeDioEnd()
}
