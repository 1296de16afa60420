//go:build !lockdep_off

package lockdep_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
)

// privRecorder is a private validator with a report privRecorder.
type privRecorder struct {
	v  *lockdep.Validator
	mu sync.Mutex
	rs []*lockdep.Report
}

func newPrivRecorder(t *testing.T, opts lockdep.Options) *privRecorder {
	t.Helper()
	r := &privRecorder{}
	opts.Handler = func(rep *lockdep.Report) {
		r.mu.Lock()
		r.rs = append(r.rs, rep)
		r.mu.Unlock()
	}
	v, err := lockdep.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	r.v = v
	return r
}

func (r *privRecorder) kinds() []lockdep.Kind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ks []lockdep.Kind
	for _, rep := range r.rs {
		ks = append(ks, rep.Kind)
	}
	return ks
}

// nest takes the maps in order and releases them in reverse.
func nest(ms ...*lockdep.Map) {
	for _, m := range ms {
		m.Acquire(0, lockdep.Exclusive)
	}
	for i := len(ms) - 1; i >= 0; i-- {
		ms[i].Release()
	}
}

func TestBadOptions(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	_, err := lockdep.New(lockdep.Options{MaxClasses: -1, MaxEdges: -2})
	if err == nil || !strings.Contains(err.Error(), "MaxClasses") || !strings.Contains(err.Error(), "MaxEdges") {
		t.Fatalf("want both bad options named in one error, got %v", err)
	}
}

func TestLimits(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	for _, tc := range []struct {
		name  string
		opts  lockdep.Options
		limit string
	}{
		{"classes", lockdep.Options{MaxClasses: 5}, "MaxClasses"},
		{"edges", lockdep.Options{MaxEdges: 3}, "MaxEdges"},
		{"chains", lockdep.Options{MaxChains: 3}, "MaxChains"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newPrivRecorder(t, tc.opts)
			keys := make([]lockdep.Key, 10)
			ms := make([]*lockdep.Map, 10)
			for i := range ms {
				ms[i] = r.v.NewMap(fmt.Sprintf("L%d", i), &keys[i])
			}
			for i := 0; i+1 < len(ms); i++ {
				nest(ms[i], ms[i+1])
			}
			stopped, limit := r.v.StopState()
			if !stopped || limit != tc.limit {
				t.Fatalf("Stopped() = %v, %q; want true, %q", stopped, limit, tc.limit)
			}
			if ks := r.kinds(); len(ks) != 1 || ks[0] != lockdep.LimitExceeded {
				t.Fatalf("reports %v, want one limit-exceeded", ks)
			}
			// Validation is off now, cleanly: an inversion is not reported
			// and locking goes on working.
			nest(ms[1], ms[0])
			if ks := r.kinds(); len(ks) != 1 {
				t.Fatalf("reports after the overflow: %v", ks)
			}
			r.v.Reset()
			if stopped, _ := r.v.StopState(); stopped {
				t.Fatal("Reset did not re-arm the validator")
			}
			nest(ms[0], ms[1])
			nest(ms[1], ms[0])
			if ks := r.kinds(); len(ks) != 2 || ks[1] != lockdep.Circular {
				t.Fatalf("after Reset: reports %v, want a circular one", ks)
			}
		})
	}
}

func TestOneShot(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{OneShot: true})
	var ka, kb, kc lockdep.Key
	a, b, c := r.v.NewMap("A", &ka), r.v.NewMap("B", &kb), r.v.NewMap("C", &kc)
	nest(a, b)
	nest(b, a)
	nest(a, c)
	nest(c, a)
	if ks := r.kinds(); len(ks) != 1 {
		t.Fatalf("one-shot made %d reports: %v", len(ks), ks)
	}
}

func TestReportedOnce(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	var ka, kb lockdep.Key
	a, b := r.v.NewMap("A", &ka), r.v.NewMap("B", &kb)
	nest(a, b)
	for i := 0; i < 5; i++ {
		nest(b, a)
	}
	if ks := r.kinds(); len(ks) != 1 {
		t.Fatalf("an inversion repeated five times made %d reports", len(ks))
	}
	if r.v.ReportCount() != 1 {
		t.Fatalf("ReportCount = %d", r.v.ReportCount())
	}
}

func TestUnregisterKeyForgets(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	var ka lockdep.Key
	kb := new(lockdep.Key)
	r.v.RegisterKey(kb, "dynamic")
	a, b := r.v.NewMap("A", &ka), r.v.NewMap("B", kb)
	nest(a, b)
	if s := r.v.Stats(); s.DirectDeps != 1 || s.Classes != 2 {
		t.Fatalf("before: %+v", s)
	}
	r.v.UnregisterKey(kb)
	// Left: class A and the chain [A]; gone: B, A -> B and the chain [A B].
	if s := r.v.Stats(); s.DirectDeps != 0 || s.Classes != 1 || s.Chains != 1 {
		t.Fatalf("after unregister: %+v", s)
	}
	// The dependency was forgotten: the other order is no inversion now.
	nest(b, a)
	if ks := r.kinds(); len(ks) != 0 {
		t.Fatalf("reports after unregister: %v", ks)
	}
}

func TestMightLock(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	var ka, kb lockdep.Key
	a, b := r.v.NewMap("A", &ka), r.v.NewMap("B", &kb)
	a.Acquire(0, lockdep.Exclusive)
	b.MightLock(0, lockdep.Exclusive) // records A -> B without taking B
	if b.IsHeld() {
		t.Fatal("MightLock left the lock held")
	}
	a.Release()
	nest(b, a)
	if ks := r.kinds(); len(ks) != 1 || ks[0] != lockdep.Circular {
		t.Fatalf("reports %v, want the inversion against the might-lock", ks)
	}
}

func TestSetClass(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	var ka, kb, kc lockdep.Key
	a, c := r.v.NewMap("A", &ka), r.v.NewMap("C", &kc)
	a.Acquire(0, lockdep.Exclusive)
	if !a.SetClass("B", &kb, 0) {
		t.Fatal("SetClass of a held lock failed")
	}
	c.Acquire(0, lockdep.Exclusive) // B -> C, not A -> C
	c.Release()
	a.Release()
	snap := r.v.Snapshot()
	if len(snap.Edges) != 1 || snap.Edges[0].From != "B" || snap.Edges[0].To != "C" {
		t.Fatalf("edges %+v, want B -> C", snap.Edges)
	}
	if (&lockdep.Map{}).SetClass("X", &kb, 0) {
		t.Fatal("SetClass of a lock that is not held succeeded")
	}
}

func TestPseudoLockAndStats(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	var kw, kl lockdep.Key
	flush := r.v.NewMap("flush_work", &kw) // a wait, no lock behind it
	lock := r.v.NewMap("worker_lock", &kl)
	lock.Acquire(0, lockdep.Exclusive)
	flush.Acquire(0, lockdep.Exclusive) // waiting for the work under the lock
	flush.Release()
	lock.Release()
	flush.Acquire(0, lockdep.Exclusive) // the work itself takes the lock
	lock.Acquire(0, lockdep.Exclusive)
	lock.Release()
	flush.Release()
	if ks := r.kinds(); len(ks) != 1 || ks[0] != lockdep.Circular {
		t.Fatalf("reports %v, want the flush/lock deadlock", ks)
	}
	s := r.v.Stats()
	if s.Classes != 2 || s.DirectDeps != 1 || s.ChainMisses == 0 || s.MaxDepth != 2 || s.Reports != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestAllHeldLocksAndCheckExited(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	var k lockdep.Key
	m := r.v.NewMap("leaked", &k)
	held := make(chan struct{})
	done := make(chan struct{})
	go func() {
		m.Acquire(0, lockdep.Exclusive)
		close(held)
		<-done
	}()
	<-held
	dump := r.v.AllHeldLocks()
	if len(dump) != 1 || len(dump[0].Locks) != 1 || dump[0].Locks[0].Class != "leaked" {
		t.Fatalf("AllHeldLocks = %+v", dump)
	}
	if !strings.Contains(lockdep.FormatAllHeldLocks(dump), "leaked") {
		t.Fatal("the dump text does not name the lock")
	}
	if n := r.v.CheckExited(); n != 0 {
		t.Fatalf("CheckExited found %d while the goroutine lives", n)
	}
	close(done)
	deadline := time.Now().Add(5 * time.Second)
	for r.v.CheckExited() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the exited goroutine was never found")
		}
		time.Sleep(time.Millisecond)
	}
	if ks := r.kinds(); len(ks) != 1 || ks[0] != lockdep.HeldAtExit {
		t.Fatalf("reports %v", ks)
	}
	if len(r.v.AllHeldLocks()) != 0 {
		t.Fatal("the dead goroutine's locks are still listed")
	}
}

// TestCheckExitedConcurrently: goroutines that exited holding locks are
// each reported once when several goroutines call CheckExited at the same
// time, and their tasks are freed once.
func TestCheckExitedConcurrently(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	const exited = 8
	keys := make([]lockdep.Key, exited) // a class each: one report each
	var wg sync.WaitGroup
	for i := 0; i < exited; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.v.NewMap(fmt.Sprintf("leaked%d", i), &keys[i]).Acquire(0, lockdep.Exclusive)
		}()
	}
	wg.Wait()
	time.Sleep(10 * time.Millisecond) // let the goroutines finish exiting
	var found sync.WaitGroup
	counts := make(chan int, 4)
	for i := 0; i < 4; i++ {
		found.Add(1)
		go func() { defer found.Done(); counts <- r.v.CheckExited() }()
	}
	found.Wait()
	close(counts)
	total := 0
	for n := range counts {
		total += n
	}
	total += r.v.CheckExited() // any that had not quite exited
	if total != exited {
		t.Errorf("CheckExited found %d in all, want %d", total, exited)
	}
	if n := len(r.kinds()); n != exited {
		t.Errorf("%d reports, want %d (one per goroutine)", n, exited)
	}
}

// TestManyGoroutines runs more goroutines holding locks at once than the
// task table has slots, so that the overflow map and slot reuse are used.
func TestManyGoroutines(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	var ka, kb lockdep.Key
	const n = 3000
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, b := r.v.NewMap("A", &ka), r.v.NewMap("B", &kb)
			a.Acquire(0, lockdep.Exclusive)
			<-start
			b.Acquire(0, lockdep.Exclusive)
			if !b.IsHeld() || !a.IsHeld() {
				t.Error("held locks lost")
			}
			b.Release()
			a.Release()
		}()
	}
	close(start)
	wg.Wait()
	if ks := r.kinds(); len(ks) != 0 {
		t.Fatalf("reports: %v", ks)
	}
	if got := len(r.v.AllHeldLocks()); got != 0 {
		t.Fatalf("%d goroutines still listed as holding locks", got)
	}
}

func TestResetForgetsKeyConfiguration(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	var k lockdep.Key
	r.v.RegisterKey(&k, "inode")
	r.v.SetInstanceOrder(&k, "inode", lockdep.OrderByValue)
	r.v.Reset()
	a, b := r.v.NewMap("inode", &k), r.v.NewMap("inode", &k)
	a.SetOrder(2)
	b.SetOrder(1)
	a.Acquire(0, lockdep.Exclusive)
	b.Acquire(1, lockdep.Exclusive) // against the old order, which Reset forgot
	b.Release()
	a.Release()
	if ks := r.kinds(); len(ks) != 0 {
		t.Fatalf("after Reset: reports %v, want none", ks)
	}
	r.v.SetInstanceOrder(&k, "inode", lockdep.OrderByValue) // declared again
	a.Acquire(0, lockdep.Exclusive)
	b.Acquire(1, lockdep.Exclusive)
	b.Release()
	a.Release()
	if ks := r.kinds(); len(ks) != 1 || ks[0] != lockdep.OrderViolation {
		t.Fatalf("reports %v, want one order violation", ks)
	}
}

// TestSameInstanceOtherSubclass: taking the very lock again is a certain
// self-deadlock, whatever subclass the second acquisition claims, and even
// when the chain of classes was validated before with other instances.
func TestSameInstanceOtherSubclass(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	for _, ordered := range []bool{false, true} {
		r := newPrivRecorder(t, lockdep.Options{})
		var k lockdep.Key
		if ordered {
			r.v.SetInstanceOrder(&k, "inode", lockdep.OrderByValue)
		}
		a, b := r.v.NewMap("inode", &k), r.v.NewMap("inode", &k)
		a.SetOrder(1)
		b.SetOrder(2)
		a.Acquire(0, lockdep.Exclusive) // the correct nesting, cached
		b.Acquire(1, lockdep.Exclusive)
		b.Release()
		a.Release()
		a.Acquire(0, lockdep.Exclusive)
		a.Acquire(1, lockdep.Exclusive) // the same lock again
		a.Release()
		a.Release()
		ks := r.kinds()
		if !slicesContains(ks, lockdep.Recursive) {
			t.Errorf("ordered=%v: reports %v, want a recursive one", ordered, ks)
		}
	}
}

func slicesContains(ks []lockdep.Kind, k lockdep.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// TestWaitingShownInDump: a goroutine blocked on a lock has it in its
// held list (it was validated before blocking), marked as waited for.
func TestWaitingShownInDump(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{})
	var k lockdep.Key
	m := r.v.NewMap("contended", &k)
	entered := make(chan struct{})
	release := make(chan struct{})
	go func() {
		m.Acquire(0, lockdep.Exclusive)
		start := ld.Wait(m)
		close(entered)
		<-release // stands for the blocking lock
		ld.Granted(m, lockdep.Exclusive, start)
		m.Release()
		close(release)
	}()
	<-entered
	dump := r.v.AllHeldLocks()
	if len(dump) != 1 || !dump[0].Locks[0].Waiting || !strings.Contains(lockdep.FormatAllHeldLocks(dump), "waiting") {
		t.Fatalf("dump %+v does not show the wait", dump)
	}
	release <- struct{}{}
	<-release
}

// TestLimitMessageNamesCulprit: the limit-exceeded report names what
// filled the table and how to raise the limit.
func TestLimitMessageNamesCulprit(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	r := newPrivRecorder(t, lockdep.Options{MaxClasses: 10})
	var k lockdep.Key
	other := r.v.NewMap("journal", &k)
	other.Acquire(0, lockdep.Exclusive)
	other.Release()
	for i := 0; i < 12; i++ {
		m := r.v.NewMap("conn", nil) // a class each: the mistake the message points at
		m.Acquire(0, lockdep.Exclusive)
		m.Release()
	}
	r.mu.Lock()
	rs := append([]*lockdep.Report(nil), r.rs...)
	r.mu.Unlock()
	if len(rs) != 1 || rs[0].Kind != lockdep.LimitExceeded {
		t.Fatalf("reports %v, want one limit-exceeded", r.kinds())
	}
	for _, want := range []string{`named "conn"`, "LOCKDEP_MAX_CLASSES", "Options.MaxClasses"} {
		if !strings.Contains(rs[0].Message, want) {
			t.Errorf("message lacks %q: %s", want, rs[0].Message)
		}
	}
}
