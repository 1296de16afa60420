package scenario

import "github.com/golockdep/lockdep/fsimpl"

// daxPinnedVsPunch is seed 004's original bug: an asynchronous direct read
// of file g into a buffer that is a DAX mapping of file f pins f's block
// (get_user_pages) and the device writes into it when the I/O completes.
// f is punched meanwhile: nothing about g's I/O is covered by f's i_rwsem
// or f's inode_dio_wait. Breaking the layout must wait for the pin before
// the block is freed; if it only unmaps, the block is freed and handed to
// another file while the I/O still targets it.
func daxPinnedVsPunch(e *Env) error {
	t := e.Task("app")
	other := e.Task("other")
	f, g, h := e.FS.Create(), e.FS.Create(), e.FS.Create()
	for _, ip := range []*fsimpl.Inode{f, g} {
		if err := e.Fill(t, ip, 0, 4); err != nil {
			return err
		}
	}
	v := e.FS.Mmap(t, f, 0, 4, true)
	gate := e.W.Sched.Arm("dio:io")
	dio := e.W.Go("aio-read g into a DAX mapping of f", func() error { return e.FS.DIORead(t, g, 0, 1, v+1) })
	if err := reachedOrDone(gate, dio); err != nil {
		return err
	}
	punch := e.W.Go("punch f", func() error { return e.FS.Fallocate(other, f, fsimpl.PunchHole, 1, 1) })
	waited := !punch.WaitDoneOrBlocked()
	if !waited {
		// The block is free: the next allocation gets it.
		if err := e.Fill(other, h, 0, 1); err != nil {
			return err
		}
	}
	e.Note("punch of f's page 1 while the I/O pinned its block: %s",
		map[bool]string{true: "waited for the pin", false: "freed the block at once"}[waited])
	gate.Release()
	if err := waitAll(dio, punch); err != nil {
		return err
	}
	if err := e.ReadBack(other, h, 0, 1); err != nil {
		return err
	}
	return e.ReadBack(t, f, 0, 4)
}
