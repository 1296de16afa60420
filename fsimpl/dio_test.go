package fsimpl

import (
	"strings"
	"testing"

	"github.com/golockdep/lockdep/cache"
)

// TestDIOStalePagecacheWarned: a store through a mapping dirties the page
// of an asynchronous direct write while the write is in flight; the
// invalidation after the write fails, and the kernel warns
// (kiocb_invalidate_post_direct_write -> dio_warn_stale_pagecache). The
// model counts it as an oracle finding.
func TestDIOStalePagecacheWarned(t *testing.T) {
	fs := newTestFS(t, "xfs")
	w := fs.W
	app := cache.NewTask(w, "app", cache.NewMM(w, "app"))
	other := cache.NewTask(w, "other", cache.NewMM(w, "other"))
	ip := fs.Create()
	buf := app.MM.Mmap(nil, nil, 0, 4, true)
	for i := uint64(0); i < 4; i++ {
		if err := app.MM.Store(app, buf+i, w.Oracle.NewStamp(ip.Ino, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := fs.Write(app, ip, 0, 4, buf); err != nil {
		t.Fatal(err)
	}
	fs.Writeback(app, ip)
	v := fs.Mmap(other, ip, 0, 4, true)

	gate := w.Sched.Arm("dio:io")
	if err := app.MM.Store(app, buf+1, w.Oracle.NewStamp(ip.Ino, 1)); err != nil {
		t.Fatal(err)
	}
	dio := w.Go("aio-write", func() error { return fs.DIOWrite(app, ip, 1, 1, buf+1) })
	select {
	case <-gate.Reached():
	case <-dio.Done():
		t.Fatalf("the direct write ended before its I/O: %v", dio.Err)
	}
	if err := other.MM.Store(other, v+1, w.Oracle.NewStamp(ip.Ino, 1)); err != nil {
		t.Fatal(err)
	}
	gate.Release()
	if err := dio.Wait(); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range w.Oracle.Findings() {
		if strings.Contains(f, "dio_warn_stale_pagecache") {
			found = true
		}
	}
	if c := w.Oracle.Counts(); !found || c.StalePagecache != 1 {
		t.Errorf("stale page cache count %d; findings %q", c.StalePagecache, w.Oracle.Findings())
	}
}
