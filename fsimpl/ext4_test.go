package fsimpl

import (
	"testing"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/lockdep"
)

// collectReports routes the default validator's reports to the returned
// slice until the test ends.
func collectReports(t *testing.T) *[]*lockdep.Report {
	t.Helper()
	var reports []*lockdep.Report
	t.Cleanup(lockdep.SetHandler(func(r *lockdep.Report) { reports = append(reports, r) }))
	return &reports
}

// TestExt4JournalBeforePage: ext4 starts its journal handle before it
// locks a page. A model writeback (ext4_do_writepages) followed by the
// kernel's order as ext4_write_begin takes it (handle, then page lock)
// must not be an inversion.
func TestExt4JournalBeforePage(t *testing.T) {
	fs := newTestFS(t, "ext4")
	reports := collectReports(t)
	task := cache.NewTask(fs.W, "app", cache.NewMM(fs.W, "app"))
	ip := fs.Create()
	fs.writePageLocked(ip, 0, fs.W.Oracle.NewStamp(ip.Ino, 0))
	fs.Writeback(task, ip) // ext4_do_writepages: handle, then the page

	// ext4_write_begin: grab the page, unlock it, start the handle, relock.
	p := ip.Mapping.GrabPageLocked(0)
	p.Lock.Unlock()
	ip.transStart()
	p.Lock.Lock()
	ip.ILock.DownRead() // ext4_da_get_block_prep: i_data_sem under the page
	ip.ILock.UpRead()
	p.Lock.Unlock()
	ip.transEnd()

	for _, r := range *reports {
		t.Errorf("unexpected report:\n%s", r)
	}
	edges := lockdep.TakeSnapshot().Edges
	found := false
	for _, e := range edges {
		if e.From == "ext4:jbd2_handle" && e.To == "ext4:page" {
			found = true
		}
		if e.From == "ext4:page" && e.To == "ext4:jbd2_handle" {
			t.Errorf("edge page -> jbd2_handle: ext4 never starts a handle under a page lock")
		}
	}
	if !found {
		t.Errorf("writeback made no jbd2_handle -> page edge; edges: %v", edges)
	}
}
