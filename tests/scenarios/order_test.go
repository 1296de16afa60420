package scenarios

import (
	"strings"
	"testing"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/fsimpl"
	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/scenario"
)

// TestLiveGraphFollowsLockOrder runs every correct design under stress and
// checks that no dependency in the validator's graph goes against the
// order the packages document (fsimpl.LockOrder, which extends
// cache.LockOrder).
func TestLiveGraphFollowsLockOrder(t *testing.T) {
	edges := 0
	for _, n := range scenario.Names() {
		s, _ := scenario.Lookup(n)
		if s.Expect.Verdict != "clean" {
			continue
		}
		res := run(t, n, 2, 2000)
		if res.Graph == nil {
			t.Fatalf("%s: no graph", n)
		}
		edges += len(res.Graph.Edges)
		for _, bad := range cache.CheckOrder(fsimpl.LockOrder, res.Graph.Edges) {
			t.Errorf("%s: %s", n, bad)
		}
		for _, bad := range cache.CheckOrder(cache.LockOrder, res.Graph.Edges) {
			t.Errorf("%s: %s (cache.LockOrder)", n, bad)
		}
		for _, e := range res.Graph.Edges {
			if !known(e.From) || !known(e.To) {
				t.Errorf("%s: edge %s -> %s has a class the documented order does not name", n, e.From, e.To)
			}
		}
	}
	if edges < 20 {
		t.Errorf("only %d edges in the correct designs' graphs: the check saw too little", edges)
	}
}

func known(class string) bool {
	if simulatorOwn(class) {
		return true
	}
	b := cache.BaseName(class)
	for _, n := range fsimpl.LockOrder {
		if n == b {
			return true
		}
	}
	return false
}

// TestCheckOrderCatchesInversion makes sure the check can fail: a live
// graph in which mmap_lock is held while i_rwsem is taken (what a fault
// that takes i_rwsem does) is flagged, and so is a synthetic inversion.
func TestCheckOrderCatchesInversion(t *testing.T) {
	lockdep.Reset()
	t.Cleanup(lockdep.Reset)
	restore := lockdep.SetHandler(func(*lockdep.Report) {})
	defer restore()
	w := cache.NewWorld(cache.Options{})
	fs, err := fsimpl.Mount(w, "ext4")
	if err != nil {
		t.Fatal(err)
	}
	ip := fs.Create()
	mm := cache.NewMM(w, "p")
	mm.MmapLock.DownRead()
	ip.IRwsem.DownRead()
	ip.IRwsem.UpRead()
	mm.MmapLock.UpRead()
	bad := cache.CheckOrder(fsimpl.LockOrder, lockdep.TakeSnapshot().Edges)
	if len(bad) != 1 || !strings.Contains(bad[0], "mmap_lock") || !strings.Contains(bad[0], "ext4:i_rwsem") {
		t.Errorf("the mmap_lock -> i_rwsem edge was not flagged: %v", bad)
	}
	synthetic := []lockdep.EdgeInfo{{From: "xfs:ILOCK", To: "xfs:invalidate_lock/1", Types: "-(EN)->"}}
	if len(cache.CheckOrder(fsimpl.LockOrder, synthetic)) != 1 {
		t.Error("ILOCK -> invalidate_lock not flagged")
	}
}

// TestOrdersAgree checks that cache.LockOrder is fsimpl.LockOrder with
// the file system classes left out.
func TestOrdersAgree(t *testing.T) {
	i := 0
	for _, n := range fsimpl.LockOrder {
		if i < len(cache.LockOrder) && cache.LockOrder[i] == n {
			i++
		}
	}
	if i != len(cache.LockOrder) {
		t.Errorf("cache.LockOrder %v is not a subsequence of fsimpl.LockOrder %v", cache.LockOrder, fsimpl.LockOrder)
	}
}

// simulatorOwn reports whether class is named after a Go declaration of
// the simulator's packages (cache.Oracle.mu, cache.Op.done (received),
// scenario.runStress:WaitGroup (done)): the class lockdepd test gives the
// simulator's own sync locks, channels and waits when it runs these tests.
// They are its bookkeeping, not kernel locks, and the documented order
// does not name them; plain go test makes none of them (their locks are
// package sync's there).
func simulatorOwn(class string) bool {
	for _, p := range []string{"cache.", "fsimpl.", "scenario."} {
		if strings.HasPrefix(class, p) {
			return true
		}
	}
	return false
}
