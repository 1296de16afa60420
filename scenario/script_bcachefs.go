package scenario

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
