package scenario

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
