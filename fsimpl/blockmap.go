package fsimpl

import "github.com/golockdep/lockdep/cache"

// The block map: file page -> block, under ILOCK (i_data_sem).

// mapRead looks up page idx under ILOCK shared; blk is -1 for a hole.
func (ip *Inode) mapRead(idx uint64) (blk int64, unwritten bool) {
	ip.ILock.DownRead()
	defer ip.ILock.UpRead()
	e, ok := ip.ext[idx]
	if !ok {
		return -1, false
	}
	return e.blk, e.unwritten
}

// mapWrite returns a block page idx can be written to, under ILOCK
// exclusive: a hole gets a new unwritten block, and a block shared by
// reflink is copied on write (a new block; the old one loses a reference).
func (ip *Inode) mapWrite(idx uint64) int64 {
	ip.transStart()
	defer ip.transEnd()
	ip.ILock.DownWrite()
	defer ip.ILock.UpWrite()
	dev := ip.FS.W.Dev
	e, ok := ip.ext[idx]
	if ok && !dev.Shared(e.blk) {
		return e.blk
	}
	b := dev.Alloc(ip.owner(idx))
	if b < 0 {
		panic("fsimpl: device full")
	}
	if ok {
		dev.Put(e.blk, "copy on write of "+ip.String())
	}
	ip.ext[idx] = extent{blk: b, unwritten: true}
	return b
}

// markWritten converts page idx's block to written if it is still blk.
func (ip *Inode) markWritten(idx uint64, blk int64) {
	ip.transStart()
	defer ip.transEnd()
	ip.ILock.DownWrite()
	defer ip.ILock.UpWrite()
	if e, ok := ip.ext[idx]; ok && e.blk == blk {
		e.unwritten = false
		ip.ext[idx] = e
	}
}

// freeRange frees the blocks of pages [start, end) under ILOCK exclusive.
func (ip *Inode) freeRange(start, end uint64, why string) {
	ip.transStart()
	defer ip.transEnd()
	ip.ILock.DownWrite()
	defer ip.ILock.UpWrite()
	ip.freeRangeLocked(start, end, why)
}

func (ip *Inode) freeRangeLocked(start, end uint64, why string) {
	for idx, e := range ip.ext {
		if idx >= start && idx < end {
			delete(ip.ext, idx)
			ip.FS.W.Dev.Put(e.blk, why+" of "+ip.String())
		}
	}
}

// readBlock returns page idx's data from the device (zeroes for a hole or
// an unwritten block).
func (ip *Inode) readBlock(idx uint64) cache.Stamp {
	b, unwritten := ip.mapRead(idx)
	if b < 0 || unwritten {
		return cache.Stamp{}
	}
	return ip.FS.W.Dev.Read(b)
}

// writeBlock writes s to page idx's block, allocating it.
func (ip *Inode) writeBlock(idx uint64, s cache.Stamp, what string) {
	b := ip.mapWrite(idx)
	ip.FS.W.Dev.Write(b, ip.owner(idx), s, what)
	ip.markWritten(idx, b)
}

// writeBlockSet writes s to page idx's block and records it as the
// page's content in the oracle in one step (DAX writes: the block is the
// file's only copy).
// Allocation, write and conversion happen under ILOCK exclusive, so that a
// racing fault (mapZeroed) never sees the block allocated but unwritten.
func (ip *Inode) writeBlockSet(idx uint64, s cache.Stamp, what string) {
	ip.transStart()
	defer ip.transEnd()
	ip.ILock.DownWrite()
	defer ip.ILock.UpWrite()
	dev := ip.FS.W.Dev
	e, ok := ip.ext[idx]
	if !ok {
		b := dev.Alloc(ip.owner(idx))
		if b < 0 {
			panic("fsimpl: device full")
		}
		e = extent{blk: b}
	}
	dev.WriteSet(e.blk, ip.owner(idx), s, what)
	ip.ext[idx] = extent{blk: e.blk}
}

// mapZeroed returns page idx's block, allocating and zeroing one if the
// page is a hole, all under ILOCK exclusive so that two faults do not
// both zero it.
func (ip *Inode) mapZeroed(idx uint64) int64 {
	ip.transStart()
	defer ip.transEnd()
	ip.ILock.DownWrite()
	defer ip.ILock.UpWrite()
	dev := ip.FS.W.Dev
	if e, ok := ip.ext[idx]; ok && !e.unwritten {
		return e.blk
	} else if ok {
		dev.Write(e.blk, ip.owner(idx), cache.Stamp{}, "DAX zeroing")
		ip.ext[idx] = extent{blk: e.blk}
		return e.blk
	}
	b := dev.Alloc(ip.owner(idx))
	if b < 0 {
		panic("fsimpl: device full")
	}
	dev.Write(b, ip.owner(idx), cache.Stamp{}, "DAX zeroing")
	ip.ext[idx] = extent{blk: b}
	return b
}

// aops are the address-space callbacks shared by the block file systems.
type aops struct{ ip *Inode }

func (a aops) ReadPage(t *cache.Task, p *cache.Page) cache.Stamp { return a.ip.readBlock(p.Idx) }

func (a aops) WritePage(t *cache.Task, p *cache.Page, s cache.Stamp) {
	a.ip.writeBlock(p.Idx, s, "writeback")
}
