package fsimpl

import (
	"testing"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/lockdep"
)

func pageAddr(p *cache.Page) uintptr { return p.Lock.LockdepMap().Addr() }

// TestDedupeLocksPagesByIndex: vfs_lock_two_folios locks the two pages of
// a dedupe compare in order of increasing index, whatever their
// addresses. The dedupe compare must follow it, and the page class's
// instance order must accept what the kernel does (lower index first) and
// reject the reverse.
func TestDedupeLocksPagesByIndex(t *testing.T) {
	fs := newTestFS(t, "xfs")
	reports := collectReports(t)
	task := cache.NewTask(fs.W, "app", cache.NewMM(fs.W, "app"))
	a, b := fs.Create(), fs.Create()
	// a's pages first: they get the lower addresses (allocation order).
	for i := uint64(0); i < 8; i++ {
		fs.writePageLocked(a, i, fs.W.Oracle.NewStamp(a.Ino, i))
	}
	for i := uint64(0); i < 8; i++ {
		fs.writePageLocked(b, i, fs.W.Oracle.NewStamp(b.Ino, i))
	}
	// A pair where index order and address order disagree: a's page hi
	// has the higher index and the lower address.
	var hi, lo *cache.Page
	for i := uint64(1); i < 8 && hi == nil; i++ {
		for j := uint64(0); j < i; j++ {
			pa, pb := a.Mapping.FindPage(i), b.Mapping.FindPage(j)
			if pageAddr(pa) < pageAddr(pb) {
				hi, lo = pa, pb
				break
			}
		}
	}
	if hi == nil {
		t.Skip("no pair of pages whose address order and index order disagree")
	}
	// The dedupe compare of a's page hi.Idx with b's page lo.Idx.
	if same, err := fs.Remap(task, a, hi.Idx, b, lo.Idx, 1, true); err != nil || same {
		t.Fatalf("dedupe of different data: same %v err %v", same, err)
	}
	// The kernel's order: lower index first.
	lo.Lock.Lock()
	hi.Lock.Lock()
	hi.Lock.Unlock()
	lo.Lock.Unlock()
	// Equal indices of two files: the lower inode number first.
	x, y := a.Mapping.FindPage(3), b.Mapping.FindPage(3)
	cache.LockTwoPages(y, x)
	cache.UnlockTwoPages(y, x)
	for _, r := range *reports {
		t.Errorf("unexpected report:\n%s", r)
	}
	*reports = nil

	// Higher index first is against the order.
	hi.Lock.Lock()
	lo.Lock.Lock()
	lo.Lock.Unlock()
	hi.Lock.Unlock()
	if len(*reports) != 1 || (*reports)[0].Kind != lockdep.OrderViolation {
		t.Errorf("higher index first: %d reports, want one order violation", len(*reports))
	}
}
