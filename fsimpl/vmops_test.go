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
