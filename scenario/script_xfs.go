package scenario

import (
	"fmt"

	"github.com/golockdep/lockdep/fsimpl"
)

// reflinkDedupe is seed 000's worry: reflink and dedupe lock both files'
// IOLOCK and MMAPLOCK exclusive, and the dedupe compare must still read
// pages of both files into the page cache. Source data is written with
// O_DIRECT, so nothing is cached and the compare has to add pages.
func reflinkDedupe(e *Env) error {
	t := e.Task("app")
	a, b, c := e.FS.Create(), e.FS.Create(), e.FS.Create()
	if err := e.FillDirect(t, a, 0, 4); err != nil {
		return err
	}
	if _, err := e.FS.Remap(t, a, 0, b, 0, 4, false); err != nil {
		return err
	}
	same, err := e.FS.Remap(t, a, 0, b, 0, 4, true)
	if err != nil {
		return err
	}
	if !same {
		return fmt.Errorf("dedupe of a reflinked copy found different data")
	}
	if err := e.Fill(t, b, 1, 1); err != nil { // copy on write at writeback
		return err
	}
	e.FS.Writeback(t, b)
	if same, err = e.FS.Remap(t, a, 0, b, 0, 4, true); err != nil {
		return err
	} else if same {
		return fmt.Errorf("dedupe of different data remapped")
	}
	if err := e.FS.CopyFileRange(t, a, 0, c, 0, 4); err != nil {
		return err
	}
	for _, f := range []*fsimpl.Inode{a, b, c} {
		if err := e.ReadBack(t, f, 0, 4); err != nil {
			return err
		}
	}
	return nil
}

// orderMismatch: reflink locks the two MMAPLOCKs in inode-number order,
// dedupe locks them in address order; the scenario picks two files whose
// inode numbers and addresses disagree, the case seed 000 worries about.
func orderMismatch(e *Env) error {
	t := e.Task("app")
	x, y := disagreeingPair(e, func(f *fsimpl.Inode) uintptr { return f.Mapping.InvalidateLock.LockdepMap().Addr() })
	if err := e.Fill(t, x, 0, 4); err != nil {
		return err
	}
	if _, err := e.FS.Remap(t, x, 0, y, 0, 4, false); err != nil {
		return err
	}
	if _, err := e.FS.Remap(t, x, 0, y, 0, 4, true); err != nil {
		return err
	}
	return e.ReadBack(t, y, 0, 4)
}

// exchangeRange: XFS exchange-range swaps the extents of two files inside
// a transaction, with both ILOCKs taken by xfs_lock_two_inodes in
// inode-number order. Two files whose inode numbers and addresses order
// differently are exchanged: taken by address, their ILOCKs nest against
// the ILOCK class's instance order (inode number, declared by
// fsimpl.SetInstanceOrders), which is what catches it; both orders
// annotate subclasses 0 and 1 alike, so subclass validation does not.
func exchangeRange(e *Env) error {
	t := e.Task("app")
	x, y := disagreeingPair(e, func(f *fsimpl.Inode) uintptr { return f.ILock.LockdepMap().Addr() })
	for _, f := range []*fsimpl.Inode{x, y} {
		if err := e.Fill(t, f, 0, 4); err != nil {
			return err
		}
	}
	if err := e.FS.ExchangeRange(t, x, y, 1, 2); err != nil {
		return err
	}
	for _, f := range []*fsimpl.Inode{x, y} {
		if err := e.ReadBack(t, f, 0, 4); err != nil {
			return err
		}
	}
	return nil
}

// disagreeingPair creates files until two of them are ordered one way by
// inode number and the other by addr (the address of one of their locks),
// and returns them.
func disagreeingPair(e *Env, addr func(*fsimpl.Inode) uintptr) (x, y *fsimpl.Inode) {
	var files []*fsimpl.Inode
	for x == nil {
		f := e.FS.Create()
		for _, o := range files {
			if (o.Ino < f.Ino) != (addr(o) < addr(f)) {
				x, y = o, f
			}
		}
		files = append(files, f)
	}
	e.Note("files ino %d and ino %d: inode-number order and address order disagree", x.Ino, y.Ino)
	return x, y
}
