package scenario

import (
	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/fsimpl"
)

// punchVsFault is seed 001's race: fallocate(PUNCH_HOLE) truncates the
// page cache, then frees the blocks; a fault in between instantiates a
// page from blocks about to be freed and quickly reused. Afterwards the
// page must read as a hole, through the mapping and through read(2).
func punchVsFault(e *Env) error {
	t := e.Task("app")
	var v uint64
	f, err := raceWithPunch(e, "fault",
		func(f *fsimpl.Inode) { v = e.FS.Mmap(t, f, 0, 8, true) },
		func(*fsimpl.Inode) error { _, err := t.MM.Load(t, v+2); return err })
	if err != nil {
		return err
	}
	if _, err := t.MM.Load(t, v+2); err != nil {
		return err
	}
	return e.ReadBack(t, f, 2, 1)
}

// raceWithPunch races op against a punch of page 2 of a new 8-page file
// f. The punch is stopped between the page-cache truncate and the freeing
// of the blocks; op runs as far as the design lets it. If it gets to
// reading the block, that read is held while the punch finishes and
// another file's write reuses the freed block. setup runs once f is
// written back. It returns f once op and the punch are done.
func raceWithPunch(e *Env, name string, setup func(f *fsimpl.Inode), op func(f *fsimpl.Inode) error) (*fsimpl.Inode, error) {
	t := e.Task("app")
	other := e.Task("other")
	f, g := e.FS.Create(), e.FS.Create()
	if err := e.Fill(t, f, 0, 8); err != nil {
		return nil, err
	}
	e.FS.Writeback(t, f)
	setup(f)

	gate := e.W.Sched.Arm("punch:before-free")
	punch := e.W.Go("punch", func() error { return e.FS.Fallocate(other, f, fsimpl.PunchHole, 2, 1) })
	if err := reachedOrDone(gate, punch); err != nil {
		return nil, err
	}
	rd := e.W.Sched.Arm("blockdev:read")
	racer := e.W.Go(name, func() error { return op(f) })
	racer.WaitDoneOrBlocked()
	reading := closed(rd.Reached())
	gate.Release()
	if err := punch.Wait(); err != nil {
		return nil, err
	}
	if reading {
		// op is reading a block the punch has now freed: another file's
		// write gets that block.
		if err := e.Fill(other, g, 0, 1); err != nil {
			return nil, err
		}
		e.FS.Writeback(other, g)
	}
	e.Note("the %s of page 2 %s the punch", name,
		map[bool]string{true: "read the block before", false: "waited for"}[reading])
	e.W.Sched.Disarm(rd)
	rd.Release()
	return f, waitAll(racer)
}

// punchVsRead is punchVsFault with read(2) in place of the fault: the gap
// that remained while only faults were locked out of a punch (ext4's
// i_mmap_sem from 4.5, XFS's MMAPLOCK), and that invalidate_lock closed
// in 5.15 by covering read(2) and readahead too: the read adds page 2
// (readahead) between the punch's page-cache truncate and its freeing of
// the block.
func punchVsRead(e *Env) error {
	t := e.Task("app")
	f, err := raceWithPunch(e, "read(2)", func(*fsimpl.Inode) {},
		func(f *fsimpl.Inode) error { return e.ReadBack(t, f, 2, 1) })
	if err != nil {
		return err
	}
	return e.ReadBack(t, f, 2, 1)
}

func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// reachedOrDone waits until op stops at g or ends without getting there.
func reachedOrDone(g *cache.Gate, op *cache.Op) error {
	select {
	case <-g.Reached():
		return nil
	case <-op.Done():
		return op.Err
	}
}

func waitAll(ops ...*cache.Op) error {
	var first error
	for _, op := range ops {
		if err := op.Wait(); err != nil && first == nil && !expected(err) {
			first = err
		}
	}
	return first
}
