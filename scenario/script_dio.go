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
