package scenario

import (
	"errors"

	"github.com/golockdep/lockdep/cache"
)

// faultTakesIRwsem: write(2) holds i_rwsem while it copies from a user
// buffer, which may fault (i_rwsem -> mmap_lock); a fault handler that
// takes i_rwsem closes the cycle (mmap_lock -> i_rwsem). No run needs to
// deadlock for the validator to see it.
func faultTakesIRwsem(e *Env) error {
	t := e.Task("app")
	f, g := e.FS.Create(), e.FS.Create()
	if err := e.Fill(t, g, 0, 4); err != nil {
		return err
	}
	// A fresh anonymous buffer: the copy in write(2) faults on it.
	src := t.MM.Mmap(nil, nil, 0, 4, true)
	if err := e.FS.Write(t, f, 0, 1, src); err != nil {
		return err
	}
	v := e.FS.Mmap(t, g, 0, 4, true)
	if _, err := t.MM.Load(t, v+1); err != nil {
		return err
	}
	return e.ReadBack(t, f, 0, 1)
}

// truncateVsFaultBeyondEOF: a fault on page 5 checks i_size (8 pages) and
// is stopped there; truncate to 2 pages sets i_size, removes pages 2..7
// from the cache and is stopped before it frees the blocks; the fault then
// adds page 5 and reads it from the block that is about to be freed. With
// no invalidate_lock nothing keeps it out: only filemap_fault's second
// i_size check, under the page lock, turns it into SIGBUS. Without that
// check the page is mapped beyond EOF, and after the truncate the process
// still loads the data the truncate removed.
func truncateVsFaultBeyondEOF(e *Env) error {
	t := e.Task("app")
	other := e.Task("other")
	f := e.FS.Create()
	if err := e.Fill(t, f, 0, 8); err != nil {
		return err
	}
	e.FS.Writeback(t, f)
	v := e.FS.Mmap(t, f, 0, 8, false)

	checked := e.W.Sched.Arm("fault:size-checked")
	fault := e.W.Go("fault", func() error { _, err := t.MM.Load(t, v+5); return err })
	if err := reachedOrDone(checked, fault); err != nil {
		return err
	}
	beforeFree := e.W.Sched.Arm("truncate:before-free")
	trunc := e.W.Go("truncate", func() error { return e.FS.Truncate(other, f, 2) })
	if err := reachedOrDone(beforeFree, trunc); err != nil {
		return err
	}
	checked.Release()
	fault.WaitDoneOrBlocked()
	beforeFree.Release()
	if err := waitAll(fault, trunc); err != nil {
		return err
	}
	e.Note("fault on page 5 while truncate to 2 pages ran: %s", sigbusOr(fault.Err, "mapped"))
	_, err := t.MM.Load(t, v+5)
	e.Note("load of page 5 after the truncate: %s", sigbusOr(err, "returned data"))
	if err != nil && !expected(err) {
		return err
	}
	return e.ReadBack(t, f, 0, 2)
}

func sigbusOr(err error, otherwise string) string {
	if errors.Is(err, cache.ErrSigbus) {
		return "SIGBUS"
	}
	if err != nil {
		return err.Error()
	}
	return otherwise
}
