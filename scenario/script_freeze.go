package scenario

// freezeVsFault: a filesystem freeze (freeze_super: sb_writers, then
// sb_pagefaults, then sb_internal, each for write) while a process stores
// through a mapping (page_mkwrite, under mmap_lock) and another writes
// with write(2) from a buffer that faults (sb_writers -> i_rwsem ->
// mmap_lock). page_mkwrite takes sb_pagefaults, a level of its own below
// mmap_lock; one that takes sb_writers instead closes mmap_lock ->
// sb_writers against write(2)'s sb_writers -> i_rwsem -> mmap_lock: with
// a freezer waiting for sb_writers, a writer's own fault would wait
// behind it. The freeze is stopped with sb_writers held while the store
// faults.
func freezeVsFault(e *Env) error {
	t := e.Task("app")
	other := e.Task("other")
	admin := e.Task("fsfreeze")
	f, g := e.FS.Create(), e.FS.Create()
	if err := e.Fill(t, f, 0, 4); err != nil {
		return err
	}
	e.FS.Writeback(t, f)
	v := e.FS.Mmap(t, f, 0, 4, true)

	gate := e.W.Sched.Arm("freeze:write")
	freeze := e.W.Go("freeze", func() error { e.FS.Freeze(admin); return nil })
	if err := reachedOrDone(gate, freeze); err != nil {
		return err
	}
	store := e.W.Go("store", func() error { return t.MM.Store(t, v+1, e.W.Oracle.NewStamp(f.Ino, 1)) })
	blocked := !store.WaitDoneOrBlocked()
	gate.Release()
	if err := waitAll(store, freeze); err != nil {
		return err
	}
	e.Note("store through mmap during the freeze: %s", map[bool]string{true: "waited for the thaw", false: "went on (sb_pagefaults was not frozen yet)"}[blocked])

	// write(2) from a fresh anonymous buffer: the copy faults under
	// sb_writers and i_rwsem.
	src := other.MM.Mmap(nil, nil, 0, 2, true)
	if err := e.FS.Write(other, g, 0, 1, src); err != nil {
		return err
	}
	e.FS.Writeback(t, f)
	return e.ReadBack(t, f, 0, 4)
}
