package cache

import (
	"fmt"
	"sync"
)

// Device is the block device: fixed-size blocks, each holding one Stamp.
// Freed blocks go on a LIFO free list, so the next allocation reuses the
// block freed last: a race that exposes freed blocks then shows another
// file's data at once, as it does on a busy disk.
//
// Each block has a reference count (reflinked blocks are shared), an owner
// (the file page it was allocated for, for unshared blocks) and a pin count
// of direct I/O in flight. Freeing a pinned block is reported to the oracle.
//
// The device's own mutex is a leaf outside the modelled kernel locks (it
// stands for the block layer's internals) and is never held while calling
// out.
type Device struct {
	w  *World
	mu sync.Mutex
	// unpinned is signalled on mu when a pin count drops to zero. It is
	// left alone by lockdepd test (its waits are not validated): a pin is
	// taken after the I/O's locks and dropped without taking any, so a
	// lock the pinning goroutine took earlier in its run can never keep a
	// pin that a waiter waits for from dropping; the wait model would
	// charge those locks to the signal all the same (a false report seen
	// on fuse-dax-pinned-vs-punch: i_rwsem of another file).
	unpinned sync.Cond //lockdepd:ignore
	bl       []block
	// free is the free list; the last element is allocated next.
	free []int64
}

// blockSize is the size of a block and of a page, in bytes. Data is
// modelled by its Stamp; the size only appears in offsets shown to users.
const blockSize = 4096

type block struct {
	data  Stamp
	refs  int
	pins  int
	owner Owner
	pinBy string
}

// Owner names the file page an unshared block was allocated for.
type Owner struct {
	File uint64
	Idx  uint64
}

func (o Owner) String() string { return fmt.Sprintf("ino %d page %d", o.File, o.Idx) }

func newDevice(w *World, nblocks int) *Device {
	d := &Device{w: w, bl: make([]block, nblocks)}
	d.unpinned.L = &d.mu
	for i := nblocks - 1; i >= 1; i-- { // block 0 is never handed out
		d.free = append(d.free, int64(i))
	}
	return d
}

// Alloc allocates a block for owner, or returns -1 if the device is full.
func (d *Device) Alloc(owner Owner) int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.free) == 0 {
		return -1
	}
	b := d.free[len(d.free)-1]
	d.free = d.free[:len(d.free)-1]
	d.bl[b] = block{refs: 1, owner: owner, data: d.bl[b].data} // old data stays: stale until written
	return b
}

// Ref takes another reference on b (reflink sharing).
func (d *Device) Ref(b int64) {
	d.mu.Lock()
	d.bl[b].refs++
	d.bl[b].owner = Owner{}
	d.mu.Unlock()
}

// Shared reports whether b has more than one reference.
func (d *Device) Shared(b int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.bl[b].refs > 1
}

// Put drops a reference on b; the last one frees it. why says who frees it,
// for the oracle's description if direct I/O still uses the block.
func (d *Device) Put(b int64, why string) {
	d.mu.Lock()
	bl := &d.bl[b]
	bl.refs--
	if bl.refs > 0 {
		d.mu.Unlock()
		return
	}
	pins, pinBy := bl.pins, bl.pinBy
	bl.owner = Owner{}
	d.free = append(d.free, b)
	d.mu.Unlock()
	if pins > 0 {
		d.w.Oracle.freedInUse(fmt.Sprintf("block %d freed by %s while %d direct I/O(s) still use it (%s)", b, why, pins, pinBy))
	}
}

// Pin marks b as used by direct I/O in flight.
func (d *Device) Pin(b int64, by string) {
	d.mu.Lock()
	d.bl[b].pins++
	d.bl[b].pinBy = by
	d.mu.Unlock()
}

// Unpin ends a Pin.
func (d *Device) Unpin(b int64) {
	d.mu.Lock()
	d.bl[b].pins--
	if d.bl[b].pins == 0 {
		d.unpinned.Broadcast()
	}
	d.mu.Unlock()
}

// WaitUnpinned waits until no direct I/O pins b (what
// dax_layout_busy_page finds and its callers wait for).
func (d *Device) WaitUnpinned(b int64) {
	d.mu.Lock()
	for d.bl[b].pins > 0 {
		d.unpinned.Wait()
	}
	d.mu.Unlock()
}

// Read returns b's data. The read passes pause point "blockdev:read".
func (d *Device) Read(b int64) Stamp {
	d.w.Sched.Point("blockdev:read")
	return d.readNoPoint(b)
}

// readNoPoint is a load through a DAX mapping: no I/O, no pause point.
func (d *Device) readNoPoint(b int64) Stamp {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.bl[b].data
}

// Write writes s to b on behalf of owner. A write to a block that is free
// or now belongs to another file page lands where it must not: the oracle
// counts it as a lost write.
//
// The write passes pause point "blockdev:write".
func (d *Device) Write(b int64, owner Owner, s Stamp, what string) {
	d.w.Sched.Point("blockdev:write")
	if bad := d.write(b, owner, s, what); bad != "" {
		d.w.Oracle.lostWrite(bad)
	}
}

// write writes the block and returns a description of a misdirected
// write, for callers that report it themselves.
func (d *Device) write(b int64, owner Owner, s Stamp, what string) string {
	d.mu.Lock()
	bl := &d.bl[b]
	bad := bl.refs == 0 || (bl.refs == 1 && bl.owner != (Owner{}) && bl.owner != owner)
	cur := bl.owner
	free := bl.refs == 0
	bl.data = s
	d.mu.Unlock()
	if !bad {
		return ""
	}
	state := "free"
	if !free {
		state = "now allocated to " + cur.String()
	}
	return fmt.Sprintf("%s of %s wrote %s to block %d, which is %s", what, owner, s, b, state)
}

// WriteSet writes s to b and records it in the oracle as file page
// owner's content in one step, so that racing writers of one page record
// their data in the order it reached the block. It is a store to DAX
// memory, not I/O: it has no pause point, and may be called under the
// page-table lock.
func (d *Device) WriteSet(b int64, owner Owner, s Stamp, what string) {
	var bad string
	d.w.Oracle.Set(owner.File, owner.Idx, s, func() { bad = d.write(b, owner, s, what) })
	if bad != "" {
		d.w.Oracle.lostWrite(bad)
	}
}

// SetOwner records the new owner of an unshared block (extent shifts).
func (d *Device) SetOwner(b int64, owner Owner) {
	d.mu.Lock()
	if d.bl[b].refs == 1 {
		d.bl[b].owner = owner
	}
	d.mu.Unlock()
}
