package fsimpl

import (
	"fmt"
	"sort"

	"github.com/golockdep/lockdep/cache"
)

// Falloc is a fallocate mode.
type Falloc int

// Fallocate modes.
const (
	PunchHole Falloc = iota
	ZeroRange
	CollapseRange
	InsertRange
)

func (f Falloc) String() string {
	return [...]string{"punch", "zero", "collapse", "insert"}[f]
}

// Truncate sets ip's size to size pages (truncate(2)).
func (fs *FS) Truncate(t *cache.Task, ip *Inode, size uint64) error {
	fs.sbStart(sbFreezeWrite)
	defer fs.sbEnd(sbFreezeWrite)
	switch fs.Design.Kind {
	case "xfs":
		return fs.xfsTruncate(t, ip, size)
	case "ext4":
		return fs.ext4Truncate(t, ip, size)
	}
	return ErrNotSupported
}

// Fallocate runs a fallocate mode over pages [idx, idx+n).
func (fs *FS) Fallocate(t *cache.Task, ip *Inode, mode Falloc, idx, n uint64) error {
	fs.sbStart(sbFreezeWrite)
	defer fs.sbEnd(sbFreezeWrite)
	switch fs.Design.Kind {
	case "xfs":
		return fs.xfsFallocate(t, ip, mode, idx, n)
	case "ext4":
		return fs.ext4Fallocate(t, ip, mode, idx, n)
	case "fuse-dax":
		if mode == PunchHole {
			return fs.fusePunch(t, ip, idx, n)
		}
	}
	return ErrNotSupported
}

// holes registers pages [start, end) of ip becoming holes.
func (fs *FS) holes(ip *Inode, start, end uint64) cache.Changes {
	var cs cache.Changes
	for i := start; i < end; i++ {
		cs = append(cs, fs.W.Oracle.Begin(ip.Ino, i, cache.Stamp{}))
	}
	return cs
}

// truncateLocked changes the size with the design's locks held.
func (fs *FS) truncateLocked(t *cache.Task, ip *Inode, size uint64, dioWait bool) {
	old := ip.Size()
	cs := fs.holes(ip, size, max(old, size))
	if dioWait {
		ip.inodeDioWait()
	}
	ip.size.Store(size)
	ip.Mapping.TruncatePagecacheRange(t, size, ^uint64(0))
	fs.W.Sched.Point("truncate:before-free")
	ip.freeRange(size, ^uint64(0), "truncate")
	cs.Commit()
}

// fallocateLocked is the body of punch, zero, collapse and insert, with
// the design's locks held: wait for direct I/O, write back and drop the
// affected page cache, then change the extents under ILOCK exclusive.
func (fs *FS) fallocateLocked(t *cache.Task, ip *Inode, mode Falloc, idx, n uint64) error {
	size := ip.Size()
	o := fs.W.Oracle
	end := idx + n // pages whose cached data goes
	var cs cache.Changes
	switch mode {
	case PunchHole, ZeroRange:
		cs = fs.holes(ip, idx, min(end, size))
	case CollapseRange:
		if end > size {
			return ErrRange
		}
		end = ^uint64(0)
	case InsertRange:
		if idx >= size {
			return ErrRange
		}
		end = ^uint64(0)
	}
	ip.inodeDioWait()
	ip.Mapping.WriteAndWaitRange(t, idx, end)
	ip.Mapping.TruncatePagecacheRange(t, idx, end)
	// Only now is the data that moves stable: stores through mappings
	// that were still writable have landed and been written back.
	switch mode {
	case CollapseRange:
		for i := idx; i < size-n; i++ {
			cs = append(cs, o.Begin(ip.Ino, i, o.Current(ip.Ino, i+n)))
		}
		cs = append(cs, fs.holes(ip, size-n, size)...)
	case InsertRange:
		for i := idx + n; i < size+n; i++ {
			cs = append(cs, o.Begin(ip.Ino, i, o.Current(ip.Ino, i-n)))
		}
		cs = append(cs, fs.holes(ip, idx, idx+n)...)
	}
	fs.W.Sched.Point("punch:before-free")
	why := fmt.Sprintf("fallocate %s", mode)
	ip.transStart()
	ip.ILock.DownWrite()
	switch mode {
	case PunchHole:
		ip.freeRangeLocked(idx, idx+n, why)
	case ZeroRange:
		ip.freeRangeLocked(idx, idx+n, why)
		for i := idx; i < min(idx+n, size); i++ {
			if b := fs.W.Dev.Alloc(ip.owner(i)); b >= 0 {
				ip.ext[i] = extent{blk: b, unwritten: true}
			}
		}
	case CollapseRange:
		ip.freeRangeLocked(idx, idx+n, why)
		ip.shiftLocked(idx+n, -int64(n))
		ip.size.Store(size - n)
	case InsertRange:
		ip.shiftLocked(idx, int64(n))
		ip.size.Store(size + n)
	}
	ip.ILock.UpWrite()
	ip.transEnd()
	cs.Commit()
	return nil
}

// shiftLocked moves the extents at or after from by delta pages.
func (ip *Inode) shiftLocked(from uint64, delta int64) {
	var keys []uint64
	for k := range ip.ext {
		if k >= from {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	if delta > 0 {
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
	}
	for _, k := range keys {
		e := ip.ext[k]
		delete(ip.ext, k)
		nk := uint64(int64(k) + delta)
		ip.ext[nk] = e
		ip.FS.W.Dev.SetOwner(e.blk, ip.owner(nk))
	}
}
