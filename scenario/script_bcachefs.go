package scenario

import "github.com/golockdep/lockdep/fsimpl"

// dioFaultSameFile is seed 003: a direct write whose user buffer is a
// mapping of the file it writes. The write holds the pagecache lock in the
// block state; get_user_pages faults on the buffer, and the fault wants
// the add state of the same lock.
func dioFaultSameFile(e *Env) error {
	t := e.Task("app")
	f := e.FS.Create()
	if err := e.FillDirect(t, f, 0, 8); err != nil {
		return err
	}
	v := e.FS.Mmap(t, f, 0, 8, false)
	if err := e.FS.DIOWrite(t, f, 4, 2, v); err != nil && !expected(err) {
		return err
	}
	return e.ReadBack(t, f, 0, 8)
}

// crossFileDIO: a direct write to A from a mapping of B, while a direct
// write to B holds B's pagecache lock in the block state. The first
// write's get_user_pages faults on B, whose add state that block state
// keeps out: block(A) -> mmap_lock -> add(B), which waits for block(B).
// Had the second write's buffer mapped A, it would fault the other way,
// block(B) -> mmap_lock -> add(A), and the two would wait for each other
// forever; the validator sees the cycle through mmap_lock from the first
// write alone (the second writes from anonymous memory, so this run does
// not deadlock). With the trylock scheme the first write's fault fails
// instead of waiting; the write drops its block state, waits for B's add
// state once the second write is done, and retries.
//
// The script makes no plain fault on a bcachefs mapping: one takes the
// add state under mmap_lock, which waits for block holders (mmap_lock ->
// pagecache_block), and against get_user_pages under the block state that
// is a real deadlock with an mmap_lock writer, in every bcachefs design.
func crossFileDIO(e *Env) error {
	t1, t2 := e.Task("p1"), e.Task("p2")
	a, b := e.FS.Create(), e.FS.Create()
	for _, f := range []*fsimpl.Inode{a, b} {
		if err := e.FillDirect(t1, f, 0, 4); err != nil {
			return err
		}
	}
	vb := e.FS.Mmap(t1, b, 0, 4, false) // p1's buffer maps B
	src := e.Fresh(t2, b, 2, 2)         // p2's is anonymous memory
	g1 := e.W.Sched.Arm("bch:dio-blocked")
	w1 := e.W.Go("dio-write A from B", func() error { return e.FS.DIOWrite(t1, a, 0, 2, vb) })
	if err := reachedOrDone(g1, w1); err != nil {
		return err
	}
	g2 := e.W.Sched.Arm("bch:dio-blocked")
	w2 := e.W.Go("dio-write B", func() error { return e.FS.DIOWrite(t2, b, 2, 2, src) })
	if err := reachedOrDone(g2, w2); err != nil {
		return err
	}
	g1.Release()
	w1.WaitDoneOrBlocked()
	g2.Release()
	if err := waitAll(w1, w2); err != nil {
		return err
	}
	if err := e.ReadBack(t1, a, 0, 4); err != nil {
		return err
	}
	return e.ReadBack(t2, b, 0, 4)
}
