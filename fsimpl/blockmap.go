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
func (ip *Inode) mapWrite(t *cache.Task, idx uint64) int64 {
	defer ip.transStartTask(t)()
	return ip.mapWriteInTrans(t, idx)
}

// mapWriteInTrans is mapWrite inside a transaction the caller started.
// Allocating a block allocates memory under ILOCK (xfs_bmapi_write's
// btree blocks, ext4's extent tree), which the transaction's no-fs scope
// keeps out of file system reclaim.
func (ip *Inode) mapWriteInTrans(t *cache.Task, idx uint64) int64 {
	ip.ILock.DownWrite()
	defer ip.ILock.UpWrite()
	ip.FS.W.MightAlloc(t)
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
	ip.markWrittenInTrans(idx, blk)
}

func (ip *Inode) markWrittenInTrans(idx uint64, blk int64) {
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
func (ip *Inode) writeBlock(t *cache.Task, idx uint64, s cache.Stamp, what string) {
	b := ip.mapWrite(t, idx)
	ip.FS.W.Dev.Write(b, ip.owner(idx), s, what)
	ip.markWritten(idx, b)
}

// writeBlockInTrans is writeBlock inside a transaction (ext4 journal
// handle) the caller started.
func (ip *Inode) writeBlockInTrans(t *cache.Task, idx uint64, s cache.Stamp, what string) {
	b := ip.mapWriteInTrans(t, idx)
	ip.FS.W.Dev.Write(b, ip.owner(idx), s, what)
	ip.markWrittenInTrans(idx, b)
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
// XFS's writeback allocates in a transaction under the page lock
// (iomap_writepages -> xfs_map_blocks -> xfs_bmapi_convert_delalloc ->
// xfs_trans_alloc): page -> sb_internal -> ILOCK.
type aops struct{ ip *Inode }

func (a aops) ReadPage(t *cache.Task, p *cache.Page) cache.Stamp { return a.ip.readBlock(p.Idx) }

func (a aops) Size() uint64 { return a.ip.Size() }

func (a aops) WritePage(t *cache.Task, p *cache.Page, s cache.Stamp) {
	a.ip.writeBlock(t, p.Idx, s, "writeback")
}

// newAops returns the address-space callbacks of ip's file system type.
func newAops(ip *Inode) cache.AddressSpaceOps {
	if ip.FS.Design.Kind == "ext4" {
		return ext4Aops{aops{ip}}
	}
	return aops{ip}
}

// ext4Aops are ext4's: its ->writepages (ext4_do_writepages) starts the
// journal handle before mpage_prepare_extent_to_map locks the folios, and
// maps blocks inside that handle (mpage_map_and_submit_extent):
// jbd2_handle -> page -> i_data_sem. ext4 never starts a handle while it
// holds a page lock.
type ext4Aops struct{ aops }

// StartWritepages starts the handle the writeback of a page runs in.
func (a ext4Aops) StartWritepages(t *cache.Task) func() {
	return a.ip.transStartTask(t)
}

// WritePage maps and writes the block inside the writeback's handle.
func (a ext4Aops) WritePage(t *cache.Task, p *cache.Page, s cache.Stamp) {
	a.ip.writeBlockInTrans(t, p.Idx, s, "writeback")
}
