package scenario

import "github.com/golockdep/lockdep/fsimpl"

// fuseDaxPunch is seed 002: a process keeps a DAX mapping of a file page
// while the file is punched. The server frees the block; another file's
// write reuses it at once; then the process stores through its mapping.
// If faults were not locked out and the mapping broken before the server
// freed the block, the store lands in the other file's block.
func fuseDaxPunch(e *Env) error {
	t := e.Task("app")
	other := e.Task("other")
	f, g := e.FS.Create(), e.FS.Create()
	if err := e.Fill(t, f, 0, 4); err != nil {
		return err
	}
	v := e.FS.Mmap(t, f, 0, 4, true)
	if err := t.MM.Store(t, v, e.W.Oracle.NewStamp(f.Ino, 0)); err != nil {
		return err
	}
	gate := e.W.Sched.Arm("fuse:punch:after-server")
	punch := e.W.Go("punch", func() error { return e.FS.Fallocate(other, f, fsimpl.PunchHole, 0, 1) })
	if err := reachedOrDone(gate, punch); err != nil {
		return err
	}
	if err := e.Fill(other, g, 0, 1); err != nil {
		return err
	}
	store := e.W.Go("store", func() error { return t.MM.Store(t, v, e.W.Oracle.NewStamp(f.Ino, 0)) })
	store.WaitDoneOrBlocked()
	gate.Release()
	if err := waitAll(punch, store); err != nil {
		return err
	}
	if err := e.ReadBack(other, g, 0, 1); err != nil {
		return err
	}
	_, err := t.MM.Load(t, v)
	return err
}
