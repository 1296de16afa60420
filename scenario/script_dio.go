package scenario

// truncateVsDIO is seed 004: an asynchronous direct write is submitted
// under IOLOCK shared and runs after IOLOCK is dropped; truncate takes
// IOLOCK and MMAPLOCK exclusive, which keeps new I/O and faults out but
// not I/O already in flight. Without inode_dio_wait it frees the block
// the write still targets, and another file gets it.
func truncateVsDIO(e *Env) error {
	t := e.Task("app")
	other := e.Task("other")
	f, g := e.FS.Create(), e.FS.Create()
	if err := e.Fill(t, f, 0, 4); err != nil {
		return err
	}
	e.FS.Writeback(t, f)
	gate := e.W.Sched.Arm("dio:io")
	dio := e.W.Go("aio-write", func() error { return e.FS.DIOWrite(t, f, 1, 1, e.Fresh(t, f, 1, 1)) })
	if err := reachedOrDone(gate, dio); err != nil {
		return err
	}
	trunc := e.W.Go("truncate", func() error { return e.FS.Truncate(other, f, 0) })
	if trunc.WaitDoneOrBlocked() {
		if err := e.Fill(other, g, 0, 2); err != nil {
			return err
		}
		e.FS.Writeback(other, g)
	}
	gate.Release()
	if err := waitAll(dio, trunc); err != nil {
		return err
	}
	return e.ReadBack(other, g, 0, 2)
}

// dioWriteVsMmapStore: an asynchronous direct write of page 1 is in
// flight (its page cache range was written back and dropped at
// submission) when another process stores to page 1 through a shared
// mapping: the fault reads the old data into a new page and the store
// dirties it. The completion cannot drop a dirty page; the kernel warns
// (dio_warn_stale_pagecache) and the cache keeps the store's data over
// the data the direct write put on the device, which a read then returns
// and writeback puts back.
func dioWriteVsMmapStore(e *Env) error {
	t := e.Task("app")
	other := e.Task("other")
	f := e.FS.Create()
	if err := e.Fill(t, f, 0, 4); err != nil {
		return err
	}
	e.FS.Writeback(t, f)
	v := e.FS.Mmap(other, f, 0, 4, true)
	gate := e.W.Sched.Arm("dio:io")
	src := e.Fresh(t, f, 1, 1)
	dio := e.W.Go("aio-write", func() error { return e.FS.DIOWrite(t, f, 1, 1, src) })
	if err := reachedOrDone(gate, dio); err != nil {
		return err
	}
	store := e.W.Go("store", func() error { return other.MM.Store(other, v+1, e.W.Oracle.NewStamp(f.Ino, 1)) })
	store.WaitDoneOrBlocked()
	gate.Release()
	if err := waitAll(dio, store); err != nil {
		return err
	}
	if err := e.ReadBack(t, f, 0, 4); err != nil {
		return err
	}
	e.FS.Writeback(t, f)
	return nil
}

// dioWaitVsCompletion: an asynchronous direct write completes, then
// truncate waits for direct I/O (inode_dio_wait) with IOLOCK and MMAPLOCK
// held exclusive. The wait is validated as an acquisition of the
// i_dio_count pseudo-lock that completions hold while they run, so a
// completion that takes MMAPLOCK (invalidate_lock) shared is reported as
// a cycle when truncate starts to wait, without a write in flight: with
// one in flight, the truncate and the completion would wait for each
// other forever, and only the watchdog would see it.
func dioWaitVsCompletion(e *Env) error {
	t := e.Task("app")
	other := e.Task("other")
	f := e.FS.Create()
	if err := e.Fill(t, f, 0, 4); err != nil {
		return err
	}
	e.FS.Writeback(t, f)
	if err := e.FS.DIOWrite(t, f, 1, 1, e.Fresh(t, f, 1, 1)); err != nil {
		return err
	}
	if err := e.FS.Truncate(other, f, 2); err != nil {
		return err
	}
	return e.ReadBack(t, f, 0, 2)
}
