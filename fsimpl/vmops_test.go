package fsimpl

import (
	"errors"
	"testing"

	"github.com/golockdep/lockdep/cache"
)

// TestFaultRechecksSizeUnderPageLock: a fault that checked i_size before a
// truncate shrank the file, and adds and locks its page only after the
// truncate removed the page cache beyond the new size, must see the new
// size under the page lock and fail with SIGBUS (filemap_fault: "We must
// recheck i_size under page lock"), with nothing mapped. The design has
// no invalidate_lock, so nothing else keeps the fault out.
func TestFaultRechecksSizeUnderPageLock(t *testing.T) {
	fs := newTestFS(t, "ext4-no-invalidate-lock")
	reports := collectReports(t)
	w := fs.W
	app := cache.NewTask(w, "app", cache.NewMM(w, "app"))
	other := cache.NewTask(w, "other", cache.NewMM(w, "other"))
	ip := fs.Create()
	buf := app.MM.Mmap(nil, nil, 0, 8, true)
	for i := uint64(0); i < 8; i++ {
		if err := app.MM.Store(app, buf+i, w.Oracle.NewStamp(ip.Ino, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := fs.DIOWrite(app, ip, 0, 8, buf); err != nil { // nothing cached
		t.Fatal(err)
	}
	v := fs.Mmap(app, ip, 0, 8, false)

	gate := w.Sched.Arm("fault:fill") // after the first i_size check
	fault := w.Go("fault", func() error { _, err := app.MM.Load(app, v+5); return err })
	select {
	case <-gate.Reached():
	case <-fault.Done():
		t.Fatalf("the fault ended before its fill: %v", fault.Err)
	}
	if err := w.Run(func() error { return fs.Truncate(other, ip, 2) }); err != nil {
		t.Fatal(err)
	}
	gate.Release()
	if err := fault.Wait(); !errors.Is(err, cache.ErrSigbus) {
		t.Errorf("fault beyond the new EOF: err %v, want SIGBUS", err)
	}
	if _, err := app.MM.Load(app, v+5); !errors.Is(err, cache.ErrSigbus) {
		t.Errorf("load beyond EOF after the truncate: err %v, want SIGBUS", err)
	}
	if c := w.Oracle.Counts(); !c.Zero() {
		t.Errorf("oracle: %+v %q", c, w.Oracle.Findings())
	}
	for _, r := range *reports {
		t.Errorf("unexpected report:\n%s", r)
	}
}

// TestWriteRetriesShortCopy: generic_perform_write faults the user page in,
// locks its page and copies with faults disabled; if the user page was
// unmapped in between (here: a punch of the file it maps), the copy comes
// up short and the write starts the page again, and writes what the user
// page holds then (the punched hole's zeroes).
func TestWriteRetriesShortCopy(t *testing.T) {
	fs := newTestFS(t, "ext4")
	reports := collectReports(t)
	w := fs.W
	app := cache.NewTask(w, "app", cache.NewMM(w, "app"))
	other := cache.NewTask(w, "other", cache.NewMM(w, "other"))
	f, g := fs.Create(), fs.Create()
	for _, ip := range []*Inode{f, g} {
		for i := uint64(0); i < 2; i++ {
			fs.writePageLocked(ip, i, w.Oracle.NewStamp(ip.Ino, i))
		}
		fs.Writeback(app, ip)
	}
	vg := fs.Mmap(app, g, 0, 2, false)
	gate := w.Sched.Arm("write:begin")
	write := w.Go("write", func() error { return fs.Write(app, f, 1, 1, vg) })
	select {
	case <-gate.Reached():
	case <-write.Done():
		t.Fatalf("the write ended before its copy: %v", write.Err)
	}
	if err := w.Run(func() error { return fs.Fallocate(other, g, PunchHole, 0, 1) }); err != nil {
		t.Fatal(err)
	}
	gate.Release()
	if err := write.Wait(); err != nil {
		t.Fatal(err)
	}
	if got := w.Oracle.Current(f.Ino, 1); !got.IsZero() {
		t.Errorf("f page 1 holds %s, want the zeroes of g's punched page", got)
	}
	if c := w.Oracle.Counts(); !c.Zero() {
		t.Errorf("oracle: %+v %q", c, w.Oracle.Findings())
	}
	for _, r := range *reports {
		t.Errorf("unexpected report:\n%s", r)
	}
}
