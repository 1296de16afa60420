package scenario

import "github.com/golockdep/lockdep/fsimpl"

// writeFromMmap: write(2) whose user buffer is a mapping of a file
// (generic_perform_write). First, page 2 of f is written from a mapping of
// g's page 0 while g's page 0 is punched between the write's prefault and
// its copy: the kernel's copy, with faults disabled, comes up short and
// the write retries; a copy with faults enabled under f's page lock
// faults instead, taking mmap_lock, g's invalidate_lock and g's page under
// a page lock (page -> mmap_lock -> invalidate_lock, against the punch's
// invalidate_lock -> page: circular). Then page 1 of f is written from
// the mapping of page 1 of f itself: the kernel prefaults it and copies
// from the page it holds locked; a copy with faults enabled faults on
// that page and waits for the page lock its own task holds.
func writeFromMmap(e *Env) error {
	t := e.Task("app")
	other := e.Task("other")
	f, g := e.FS.Create(), e.FS.Create()
	for _, ip := range []*fsimpl.Inode{f, g} {
		if err := e.Fill(t, ip, 0, 4); err != nil {
			return err
		}
		e.FS.Writeback(t, ip)
	}
	vf := e.FS.Mmap(t, f, 0, 4, false)
	vg := e.FS.Mmap(t, g, 0, 4, false)

	gate := e.W.Sched.Arm("write:begin") // before the page is locked
	w := e.W.Go("write", func() error { return e.FS.Write(t, f, 2, 1, vg) })
	if err := reachedOrDone(gate, w); err != nil {
		return err
	}
	punch := e.W.Go("punch", func() error { return e.FS.Fallocate(other, g, fsimpl.PunchHole, 0, 1) })
	punch.WaitDoneOrBlocked()
	gate.Release()
	if err := waitAll(w, punch); err != nil {
		return err
	}

	self := e.W.Go("write-self", func() error { return e.FS.Write(t, f, 1, 1, vf+1) })
	if err := waitAll(self); err != nil {
		return err
	}
	if err := e.ReadBack(t, f, 0, 4); err != nil {
		return err
	}
	return e.ReadBack(t, g, 0, 4)
}
