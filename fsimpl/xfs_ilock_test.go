package fsimpl

import (
	"testing"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/lockdep"
)

func TestXfsLockInumorderFields(t *testing.T) {
	m := xfsLockInumorder(xfsIolockExcl|xfsMmaplockExcl|xfsIlockShared, 1)
	if xfsIolockDep(m) != 1 || xfsMmaplockDep(m) != 1 || xfsIlockDep(m) != 1 {
		t.Errorf("fields %d %d %d", xfsIolockDep(m), xfsMmaplockDep(m), xfsIlockDep(m))
	}
	if m&(xfsIolockExcl|xfsMmaplockExcl|xfsIlockShared) != xfsIolockExcl|xfsMmaplockExcl|xfsIlockShared {
		t.Error("lock bits lost")
	}
	// Only the locks named get a subclass.
	if m := xfsLockInumorder(xfsIlockExcl, 1); xfsIolockDep(m) != 0 || xfsMmaplockDep(m) != 0 {
		t.Error("subclass leaked into another lock's field")
	}
	// ILOCK's field holds every lockdep subclass.
	for _, v := range []uint32{xfsIlockParentVal, xfsIlockRtbitmapVal, xfsIlockRtsumVal} {
		if xfsIlockDep(v<<xfsIlockShift) != int(v) || int(v) > lockdep.MaxSubclass {
			t.Errorf("ILOCK value %d", v)
		}
	}
}

func newTestFS(t *testing.T, design string) *FS {
	t.Helper()
	lockdep.Reset()
	t.Cleanup(lockdep.Reset)
	w := cache.NewWorld(cache.Options{Blocks: 256})
	fs, err := Mount(w, design)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestTwoInodeHelpersOrder: lock_two_nondirectories and
// filemap_invalidate_lock_two nest by address whichever way they are
// called; xfs_lock_two_inodes by inode number. Neither is reported.
func TestTwoInodeHelpersOrder(t *testing.T) {
	fs := newTestFS(t, "xfs")
	var reports []*lockdep.Report
	restore := lockdep.SetHandler(func(r *lockdep.Report) { reports = append(reports, r) })
	defer restore()
	SetInstanceOrders()
	a, b := fs.Create(), fs.Create()
	for _, p := range [][2]*Inode{{a, b}, {b, a}} {
		xfsIlock2IoMmap(p[0], p[1])
		xfsIunlock2IoMmap(p[0], p[1])
		xfsLockTwoInodes(p[0], xfsIlockExcl, p[1], xfsIlockExcl)
		xfsUnlockTwoInodes(p[0], xfsIlockExcl, p[1], xfsIlockExcl)
	}
	for _, r := range reports {
		t.Errorf("unexpected report:\n%s", r)
	}
}

// TestMmaplockByInoIsCaught: the same pair locked by inode number and by
// address, where the two orders disagree, is an order violation once the
// instance order is declared, and nothing without it.
func TestMmaplockByInoIsCaught(t *testing.T) {
	for _, orders := range []bool{false, true} {
		fs := newTestFS(t, "xfs")
		var reports []*lockdep.Report
		restore := lockdep.SetHandler(func(r *lockdep.Report) { reports = append(reports, r) })
		if orders {
			SetInstanceOrders()
		} else {
			ClearInstanceOrders() // Reset keeps them
		}
		var x, y *Inode
		var files []*Inode
		for x == nil {
			f := fs.Create()
			for _, o := range files {
				if (o.Ino < f.Ino) != (o.Mapping.InvalidateLock.LockdepMap().Addr() < f.Mapping.InvalidateLock.LockdepMap().Addr()) {
					x, y = o, f
				}
			}
			files = append(files, f)
		}
		invalidateLockTwo(x, y)
		invalidateUnlockTwo(x, y)
		xfsLockTwoInodes(x, xfsMmaplockExcl, y, xfsMmaplockExcl)
		xfsUnlockTwoInodes(x, xfsMmaplockExcl, y, xfsMmaplockExcl)
		restore()
		switch {
		case !orders && len(reports) != 0:
			t.Errorf("subclass-only validation reported: %v", reports[0])
		case orders && (len(reports) != 1 || reports[0].Kind != lockdep.OrderViolation):
			t.Errorf("with instance orders: %d reports, want one order violation", len(reports))
		}
	}
}

func TestLookupDesign(t *testing.T) {
	for _, n := range DesignNames() {
		d, err := lookupDesign(n)
		if err != nil || d.Name != n || types[d.Kind] == nil || d.Doc == "" {
			t.Errorf("%s: %+v %v", n, d, err)
		}
	}
	if _, err := lookupDesign("ntfs"); err == nil {
		t.Error("unknown design accepted")
	}
}
