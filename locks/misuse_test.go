//go:build !lockdep_off

package locks_test

// One test per kind of report, and the lock behaviours the reports rely on.
// Every test checks that the misuse is reported, that nothing crashed, and
// that the lock still works afterwards.

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

// wantKinds checks the kinds of the reports recorded so far and clears
// them.
func wantKinds(t testing.TB, rec *lockdeptest.Recorder, want ...lockdep.Kind) []*lockdep.Report {
	t.Helper()
	rs := rec.Reports()
	var got []lockdep.Kind
	for _, r := range rs {
		got = append(got, r.Kind)
	}
	if !slices.Equal(got, want) {
		var texts []string
		for _, r := range rs {
			texts = append(texts, r.String())
		}
		t.Fatalf("reports %v, want %v:%s", got, want, strings.Join(texts, ""))
	}
	rec.Clear()
	return rs
}

// worker runs functions in a goroutine of its own, one at a time, so that
// a test can act as two goroutines in a fixed order.
type worker struct {
	fns  chan func()
	done chan struct{}
}

func newWorker(t testing.TB) *worker {
	w := &worker{fns: make(chan func()), done: make(chan struct{})}
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for f := range w.fns {
			f()
			w.done <- struct{}{}
		}
	}()
	t.Cleanup(func() {
		close(w.fns)
		<-exited
	})
	return w
}

// run calls f in the worker and waits for it.
func (w *worker) run(f func()) {
	w.fns <- f
	<-w.done
}

// goid returns the calling goroutine's id, from runtime.Stack.
func goid() int64 {
	var buf [64]byte
	f := strings.Fields(string(buf[:runtime.Stack(buf[:], false)]))
	id, _ := strconv.ParseInt(f[1], 10, 64)
	return id
}

// goroutineAlive reports whether goroutine id still exists.
func goroutineAlive(id int64) bool {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Contains(string(buf), fmt.Sprintf("goroutine %d [", id))
}

// eventually polls cond for up to five seconds.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// within fails the test if f does not return within five seconds.
func within(t testing.TB, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s hangs", what)
	}
}

// mustWork locks and unlocks l twice without a report.
func mustWork(t testing.TB, rec *lockdeptest.Recorder, ls ...interface {
	Lock()
	Unlock()
}) {
	t.Helper()
	for i := 0; i < 2; i++ {
		within(t, "locking again", func() {
			for _, l := range ls {
				l.Lock()
			}
			for j := len(ls) - 1; j >= 0; j-- {
				ls[j].Unlock()
			}
		})
	}
	wantKinds(t, rec)
}

func TestMisuseCircular(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var ka, kb lockdep.Key
	a, b := locks.NewMutex("a", &ka), locks.NewMutex("b", &kb)
	a.Lock()
	b.Lock()
	b.Unlock()
	a.Unlock()
	wantKinds(t, rec)

	b.Lock()
	a.Lock() // b -> a closes a -> b
	a.Unlock()
	b.Unlock()
	r := wantKinds(t, rec, lockdep.Circular)[0]
	if r.Lock.Class != "a" || r.Held.Class != "b" || len(r.Chain) != 1 ||
		r.Chain[0].From != "a" || r.Chain[0].To != "b" {
		t.Errorf("report names lock %v held %v chain %v, want a taken under b with a -> b:%s", r.Lock, r.Held, r.Chain, r)
	}
	mustWork(t, rec, a, b)
}

func TestMisuseRecursive(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var k lockdep.Key
	x1, x2 := locks.NewMutex("x1", &k), locks.NewMutex("x2", &k)
	x1.Lock()
	x2.Lock() // same class, no nesting annotation
	x2.Unlock()
	x1.Unlock()
	r := wantKinds(t, rec, lockdep.Recursive)[0]
	if !strings.Contains(r.Lock.Instance, "x2") || !strings.Contains(r.Held.Instance, "x1") {
		t.Errorf("report names %v under %v, want x2 under x1", r.Lock, r.Held)
	}
	mustWork(t, rec, x1)
	mustWork(t, rec, x2)
}

// unlockable is a lock type as the bad-unlock tests drive it.
type unlockable struct {
	name   string
	new    func() any
	lock   func(any)
	unlock func(any)
	// free reports whether the lock can be taken at once (and takes and
	// releases it).
	free func(any) bool
}

var unlockables = []unlockable{
	{"Mutex", func() any { return locks.NewMutex("m", nil) },
		func(l any) { l.(*locks.Mutex).Lock() }, func(l any) { l.(*locks.Mutex).Unlock() },
		func(l any) bool {
			m := l.(*locks.Mutex)
			ok := m.TryLock()
			if ok {
				m.Unlock()
			}
			return ok
		}},
	{"RWMutex.write", func() any { return locks.NewRWMutex("rw", nil) },
		func(l any) { l.(*locks.RWMutex).Lock() }, func(l any) { l.(*locks.RWMutex).Unlock() }, rwmutexFree},
	{"RWMutex.read", func() any { return locks.NewRWMutex("rw", nil) },
		func(l any) { l.(*locks.RWMutex).RLock() }, func(l any) { l.(*locks.RWMutex).RUnlock() }, rwmutexFree},
	{"RWSem.write", func() any { return locks.NewRWSem("s", nil) },
		func(l any) { l.(*locks.RWSem).DownWrite() }, func(l any) { l.(*locks.RWSem).UpWrite() }, rwsemFree},
	{"RWSem.read", func() any { return locks.NewRWSem("s", nil) },
		func(l any) { l.(*locks.RWSem).DownRead() }, func(l any) { l.(*locks.RWSem).UpRead() }, rwsemFree},
	{"RWLock.write", func() any { return locks.NewRWLock("l", nil) },
		func(l any) { l.(*locks.RWLock).WriteLock() }, func(l any) { l.(*locks.RWLock).WriteUnlock() }, rwlockFree},
	{"RWLock.read", func() any { return locks.NewRWLock("l", nil) },
		func(l any) { l.(*locks.RWLock).ReadLock() }, func(l any) { l.(*locks.RWLock).ReadUnlock() }, rwlockFree},
	{"PageLock", func() any { return newPageLock("p", nil) },
		func(l any) { l.(*locks.PageLock).Lock() }, func(l any) { l.(*locks.PageLock).Unlock() },
		func(l any) bool {
			p := l.(*locks.PageLock)
			ok := !p.IsLocked() && p.TryLock()
			if ok {
				p.Unlock()
			}
			return ok
		}},
}

func rwmutexFree(l any) bool {
	rw := l.(*locks.RWMutex)
	ok := rw.TryLock()
	if ok {
		rw.Unlock()
	}
	return ok
}

func rwsemFree(l any) bool {
	s := l.(*locks.RWSem)
	ok := !s.IsLocked() && s.TryLock()
	if ok {
		s.Unlock()
	}
	return ok
}

func rwlockFree(l any) bool {
	rw := l.(*locks.RWLock)
	ok := rw.WriteTryLock()
	if ok {
		rw.WriteUnlock()
	}
	return ok
}

// TestMisuseDoubleUnlock: the second unlock is reported and leaves the
// lock alone instead of panicking or corrupting its state.
func TestMisuseDoubleUnlock(t *testing.T) {
	for _, u := range unlockables {
		t.Run(u.name, func(t *testing.T) {
			rec := lockdeptest.Capture(t)
			l := u.new()
			u.lock(l)
			u.unlock(l)
			u.unlock(l)
			r := wantKinds(t, rec, lockdep.BadUnlock)[0]
			if r.Locked || r.Holder != 0 {
				t.Errorf("report says locked=%v holder=%d, want an unlocked lock with no holder", r.Locked, r.Holder)
			}
			if !u.free(l) {
				t.Fatalf("the lock is not free after the double unlock")
			}
			for i := 0; i < 2; i++ {
				within(t, "locking again", func() {
					u.lock(l)
					u.unlock(l)
				})
			}
			wantKinds(t, rec)
		})
	}
}

// TestMisuseForeignUnlock: unlocking a lock another goroutine holds is
// done, as Go permits, and the holder no longer holds it. Under Go's rules
// (the default) it is not reported; under the kernel's it is a BadUnlock
// naming the holder.
func TestMisuseForeignUnlock(t *testing.T) {
	for _, rules := range []lockdep.Rules{lockdep.GoRules, lockdep.KernelRules} {
		for _, u := range unlockables {
			t.Run(rules.String()+"/"+u.name, func(t *testing.T) {
				rec := lockdeptest.Capture(t)
				old := lockdep.SetRules(rules)
				defer lockdep.SetRules(old)
				l := u.new()
				holder := newWorker(t)
				holder.run(func() { u.lock(l) })
				u.unlock(l)
				if rules == lockdep.GoRules {
					wantKinds(t, rec)
				} else {
					r := wantKinds(t, rec, lockdep.BadUnlock)[0]
					if !r.Locked || r.Holder == 0 || r.Holder == r.Goroutine {
						t.Errorf("report says locked=%v holder=%d (unlocker %d), want the holder goroutine", r.Locked, r.Holder, r.Goroutine)
					}
					if read := strings.HasSuffix(u.name, ".read"); r.Lock.Mode.String() == "write" == read {
						t.Errorf("report labels the lock {%s}, for a %s unlock", r.Lock.Mode, u.name)
					}
				}
				if !u.free(l) {
					t.Fatalf("the lock is still locked after the foreign unlock")
				}
				var held bool
				var heldLocks []lockdep.LockRef
				holder.run(func() {
					held = lockdepMap(l).IsHeld()
					heldLocks = lockdep.HeldLocks()
				})
				if held || len(heldLocks) != 0 {
					t.Errorf("the holder still holds the lock: IsHeld %v, held locks %v", held, heldLocks)
				}
				holder.run(func() {
					u.lock(l)
					u.unlock(l)
				})
				wantKinds(t, rec)
				if n := lockdep.CheckExited(); n != 0 {
					t.Errorf("CheckExited found %d goroutines holding locks", n)
				}
			})
		}
	}
}

// TestHeldLocksAfterForeignUnlock: once another goroutine has unlocked a
// lock, the goroutine that took it no longer lists it among its held locks,
// whichever call it makes first.
func TestHeldLocksAfterForeignUnlock(t *testing.T) {
	rec := lockdeptest.Capture(t)
	m := locks.NewMutex("m", nil)
	holder := newWorker(t)
	holder.run(m.Lock)
	m.UnlockNonOwner()
	var held []lockdep.LockRef
	var all []lockdep.GoroutineLocks
	holder.run(func() {
		held = lockdep.HeldLocks()
		all = lockdep.AllHeldLocks()
	})
	if len(held) != 0 {
		t.Errorf("HeldLocks in the goroutine that locked: %v, want none", held)
	}
	if len(all) != 0 {
		t.Errorf("AllHeldLocks: %v, want none", all)
	}
	holder.run(func() { m.LockdepMap().IsHeld() }) // applies the release
	wantKinds(t, rec)
	mustWork(t, rec, m)
}

// TestHandOffThenExit: a goroutine that locks, hands the lock over and
// ends holds nothing when it ends, so CheckExited has nothing to report.
func TestHandOffThenExit(t *testing.T) {
	rec := lockdeptest.Capture(t)
	m := locks.NewMutex("m", nil)
	locked, exited := make(chan struct{}), make(chan struct{})
	var id int64
	go func() {
		defer close(exited)
		id = goid()
		m.Lock()
		close(locked)
	}()
	<-locked
	m.UnlockNonOwner() // the receiving side finishes the job
	<-exited
	eventually(t, "the goroutine is gone", func() bool { return !goroutineAlive(id) })
	lockdep.CheckExited()
	wantKinds(t, rec)
	mustWork(t, rec, m)
}

func lockdepMap(l any) *lockdep.Map { return l.(locks.Validated).LockdepMap() }

// TestMisuseHeldAtExit: a goroutine that ends holding a lock is found by
// CheckExited; the lock can then be handed to another goroutine.
func TestMisuseHeldAtExit(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var k lockdep.Key
	m := locks.NewMutex("leaked", &k)
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Lock()
	}()
	<-done
	eventually(t, "CheckExited finds the goroutine", func() bool { return lockdep.CheckExited() == 1 })
	r := wantKinds(t, rec, lockdep.HeldAtExit)[0]
	if len(r.HeldLocks) != 1 || r.HeldLocks[0].Class != "leaked" {
		t.Errorf("report lists held locks %v, want the leaked mutex", r.HeldLocks)
	}
	if n := lockdep.CheckExited(); n != 0 {
		t.Errorf("the dead goroutine is reported again (%d)", n)
	}
	for _, g := range lockdep.AllHeldLocks() {
		if g.Goroutine == r.Goroutine {
			t.Errorf("the dead goroutine is still listed as holding %v", g.Locks)
		}
	}
	m.UnlockNonOwner() // nobody will: hand it over
	wantKinds(t, rec)
	mustWork(t, rec, m)
}

func TestMisuseInvalidSubclass(t *testing.T) {
	for _, sub := range []int{lockdep.MaxSubclass + 1, 9, -1} {
		t.Run(fmt.Sprint(sub), func(t *testing.T) {
			rec := lockdeptest.Capture(t)
			var k lockdep.Key
			m := locks.NewMutex("m", &k)
			m.LockNested(sub)
			if m.TryLock() {
				t.Fatalf("LockNested(%d) did not lock the mutex", sub)
			}
			m.Unlock()
			wantKinds(t, rec, lockdep.InvalidSubclass)
			mustWork(t, rec, m)
			// Under another lock, released out of order: still no
			// crash, no second report, nothing left held.
			other := locks.NewMutex("other", nil)
			other.Lock()
			m.LockNested(sub)
			other.Unlock()
			m.Unlock()
			wantKinds(t, rec)
			if held := lockdep.HeldLocks(); len(held) != 0 {
				t.Errorf("still held: %v", held)
			}
			mustWork(t, rec, other, m)
		})
	}
}

func TestMisuseDepthExceeded(t *testing.T) {
	rec := lockdeptest.Capture(t)
	const limit = lockdep.DefaultMaxDepth
	ms := make([]*locks.Mutex, 2*limit) // twice the default MaxDepth
	for i := range ms {
		ms[i] = locks.NewMutex(fmt.Sprintf("m%d", i), nil) // a class each
	}
	for _, m := range ms {
		m.Lock()
	}
	// One report for the whole nest, naming the first lock past the limit.
	r := wantKinds(t, rec, lockdep.DepthExceeded)[0]
	if !strings.Contains(r.Lock.Instance, ms[limit].LockdepMap().String()) {
		t.Errorf("report names %v, want lock %d %v", r.Lock, limit, ms[limit].LockdepMap())
	}
	if !strings.Contains(r.Message, "LOCKDEP_MAX_DEPTH") {
		t.Errorf("report does not say how to raise the limit: %s", r.Message)
	}
	if n := len(lockdep.HeldLocks()); n != limit {
		t.Errorf("%d locks tracked, want %d", n, limit)
	}
	// Released in reverse order: no bad-unlock for the untracked ones.
	for i := len(ms) - 1; i >= 0; i-- {
		ms[i].Unlock()
	}
	wantKinds(t, rec)
	if held := lockdep.HeldLocks(); len(held) != 0 {
		t.Errorf("still held after unlocking all: %v", held)
	}
	// Again, released in the order taken (each release revalidates the
	// locks above it, so keep this nest short of the limit's square).
	for _, m := range ms[:64] {
		m.Lock()
	}
	for _, m := range ms[:64] {
		m.Unlock()
	}
	wantKinds(t, rec)
	mustWork(t, rec, ms[0], ms[limit])
}

func TestMisuseNestLockNotHeld(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var kOuter, kInner lockdep.Key
	outer := locks.NewMutex("outer", &kOuter)
	in1, in2 := locks.NewMutex("in1", &kInner), locks.NewMutex("in2", &kInner)
	in1.LockNestLock(outer)
	in1.Unlock()
	r := wantKinds(t, rec, lockdep.NestLockNotHeld)[0]
	if r.Held == nil || r.Held.Class != "outer" {
		t.Errorf("report names outer lock %v, want outer", r.Held)
	}
	// With the outer lock held, many locks of one class may nest.
	outer.Lock()
	in1.LockNestLock(outer)
	in2.LockNestLock(outer)
	in2.Unlock()
	in1.Unlock()
	outer.Unlock()
	wantKinds(t, rec)
	mustWork(t, rec, outer, in1)
}

// TestNestLockReleaseOrder: locks taken under a nest lock may be released
// in any order; the kernel keeps matching a merged entry by class until its
// last reference is gone (match_held_lock, __lock_release).
func TestNestLockReleaseOrder(t *testing.T) {
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rec := lockdeptest.Capture(t)
			var kOuter, kInner lockdep.Key
			outer := locks.NewMutex("outer", &kOuter)
			ins := make([]*locks.Mutex, n)
			for i := range ins {
				ins[i] = locks.NewMutex("in", &kInner)
			}
			outer.Lock()
			for _, m := range ins {
				m.LockNestLock(outer)
			}
			for _, m := range ins { // first locked, first released
				m.Unlock()
			}
			outer.Unlock()
			if held := lockdep.HeldLocks(); len(held) != 0 {
				t.Errorf("still held after unlocking all: %v", held)
				// Drop the stale entries so later tests are not affected.
				for i := 0; i < n && len(lockdep.HeldLocks()) > 0; i++ {
					for _, m := range ins {
						m.LockdepMap().Release()
					}
				}
			}
			wantKinds(t, rec)
			mustWork(t, rec, outer, ins[n-1])
		})
	}
}

func TestMisuseAssertFailed(t *testing.T) {
	rec := lockdeptest.Capture(t)
	m := locks.NewMutex("m", nil)
	s := locks.NewRWSem("s", nil)
	p := newPageLock("p", nil)

	m.AssertHeld()
	wantKinds(t, rec, lockdep.AssertFailed)
	m.Lock()
	m.AssertHeld()
	wantKinds(t, rec)
	m.AssertNotHeld()
	wantKinds(t, rec, lockdep.AssertFailed)
	m.Unlock()
	m.AssertNotHeld()
	wantKinds(t, rec)

	s.DownWrite()
	s.AssertHeld()
	s.AssertHeldWrite()
	wantKinds(t, rec)
	s.AssertHeldRead()
	wantKinds(t, rec, lockdep.AssertFailed)
	s.UpWrite()
	s.DownRead()
	s.AssertHeld()
	s.AssertHeldRead()
	wantKinds(t, rec)
	s.AssertHeldWrite()
	wantKinds(t, rec, lockdep.AssertFailed)
	s.AssertNotHeld()
	wantKinds(t, rec, lockdep.AssertFailed)
	s.UpRead()

	p.AssertHeld()
	wantKinds(t, rec, lockdep.AssertFailed)
	p.Lock()
	p.AssertHeld()
	p.Unlock()
	wantKinds(t, rec)
	mustWork(t, rec, m, s, p)
}

func TestMisuseOrderViolation(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var k lockdep.Key
	lockdep.SetInstanceOrder(&k, "inode", lockdep.OrderByValue)
	a, b := locks.NewMutex("inode1", &k), locks.NewMutex("inode2", &k)
	a.LockdepMap().SetOrder(1)
	b.LockdepMap().SetOrder(2)

	// In order, annotated as the kernel annotates two inodes.
	a.LockNested(0)
	b.LockNested(1)
	b.Unlock()
	a.Unlock()
	wantKinds(t, rec)

	// Against the order, annotated the same way: the subclasses are
	// consistent, so only the instance order catches it.
	b.LockNested(0)
	a.LockNested(1)
	a.Unlock()
	b.Unlock()
	r := wantKinds(t, rec, lockdep.OrderViolation)[0]
	text := r.String()
	for _, want := range []string{a.LockdepMap().String(), b.LockdepMap().String()} {
		if !strings.Contains(text, want) {
			t.Errorf("report does not name instance %s:%s", want, text)
		}
	}
	if !strings.HasPrefix(r.Lock.Instance, "inode1@") || !strings.HasPrefix(r.Held.Instance, "inode2@") {
		t.Errorf("report names %v under %v, want inode1 under inode2", r.Lock, r.Held)
	}
	mustWork(t, rec, a, b)
}

// TestUnlockNonOwner: a lock handed to another goroutine on purpose is
// released there without a report, and the goroutine that took it no
// longer holds it.
func TestUnlockNonOwner(t *testing.T) {
	rec := lockdeptest.Capture(t)
	m := locks.NewMutex("m", nil)
	p := newPageLock("p", nil)
	taker := newWorker(t)
	taker.run(func() {
		m.Lock()
		p.Lock()
	})
	m.UnlockNonOwner()
	p.UnlockNonOwner() // as I/O completion unlocks a page a reader locked
	wantKinds(t, rec)
	var mHeld, pHeld bool
	var held []lockdep.LockRef
	taker.run(func() {
		mHeld, pHeld = m.LockdepMap().IsHeld(), p.LockdepMap().IsHeld()
		held = lockdep.HeldLocks()
	})
	if mHeld || pHeld || len(held) != 0 {
		t.Errorf("the goroutine that locked still holds them: IsHeld %v %v, held locks %v", mHeld, pHeld, held)
	}
	// down_read_non_owner / up_read_non_owner are not validated at all.
	s := locks.NewRWSem("s", nil)
	taker.run(s.DownReadNonOwner)
	s.UpReadNonOwner()
	wantKinds(t, rec)
	mustWork(t, rec, m, p, s)
	// A non-owner unlock of an unlocked lock is still a bad unlock.
	m.UnlockNonOwner()
	wantKinds(t, rec, lockdep.BadUnlock)
	mustWork(t, rec, m)
}

// TestTrylockRule: a trylock cannot deadlock, so it is not checked and adds
// no dependency of its own; a blocking lock taken above it depends on it
// and on the lock below it.
func TestTrylockRule(t *testing.T) {
	rec := lockdeptest.Capture(t)
	var ka, kb, kc, kx lockdep.Key
	a, b, c := locks.NewMutex("a", &ka), locks.NewMutex("b", &kb), locks.NewMutex("c", &kc)

	a.Lock()
	if !b.TryLock() {
		t.Fatal("TryLock of a free mutex failed")
	}
	b.Unlock()
	a.Unlock()
	b.Lock()
	a.Lock() // no a -> b dependency was recorded
	a.Unlock()
	b.Unlock()
	wantKinds(t, rec)

	x1, x2 := locks.NewMutex("x1", &kx), locks.NewMutex("x2", &kx)
	x1.Lock()
	if !x2.TryLock() { // same class: not a recursion, it cannot block
		t.Fatal("TryLock of a free mutex failed")
	}
	x2.Unlock()
	x1.Unlock()
	wantKinds(t, rec)

	// a, then trylock b, then c: c depends on b and, through the trylock,
	// on a.
	a.Lock()
	b.TryLock()
	c.Lock()
	c.Unlock()
	b.Unlock()
	a.Unlock()
	c.Lock()
	a.Lock()
	a.Unlock()
	c.Unlock()
	r := wantKinds(t, rec, lockdep.Circular)[0]
	if r.Lock.Class != "a" || r.Held.Class != "c" {
		t.Errorf("report names %v under %v, want a under c", r.Lock, r.Held)
	}

	// A failed trylock records nothing.
	holder := newWorker(t)
	holder.run(c.Lock)
	if c.TryLock() {
		t.Fatal("TryLock of a held mutex succeeded")
	}
	if c.LockdepMap().IsHeld() {
		t.Error("a failed TryLock is recorded as held")
	}
	holder.run(c.Unlock)
	wantKinds(t, rec)
	for _, m := range []*locks.Mutex{a, b, c, x1, x2} {
		mustWork(t, rec, m)
	}
}

func TestRWSemDowngrade(t *testing.T) {
	rec := lockdeptest.Capture(t)
	s := locks.NewRWSem("s", nil)
	other := newWorker(t)
	s.DownWrite()
	s.DowngradeWrite()
	s.AssertHeldRead()
	wantKinds(t, rec)
	var readOK, writeOK bool
	other.run(func() {
		readOK = s.DownReadTrylock()
		if readOK {
			s.UpRead()
		}
		writeOK = s.DownWriteTrylock()
	})
	if !readOK || writeOK {
		t.Errorf("after downgrade: another reader got in %v (want true), a writer %v (want false)", readOK, writeOK)
	}
	s.UpRead()
	if !rwsemFree(s) {
		t.Error("the semaphore is not free after the downgraded read hold was released")
	}
	wantKinds(t, rec)

	// Downgrading without holding the write side is reported and changes
	// nothing.
	s.DowngradeWrite()
	wantKinds(t, rec, lockdep.BadUnlock)
	if !rwsemFree(s) {
		t.Error("a bad downgrade changed the semaphore")
	}
	mustWork(t, rec, s)

	// After a downgrade the hold is a reader's: a lock taken under it
	// depends on a shared holder, -(SN)->, and taking the semaphore under
	// that lock is still an ABBA.
	var kt lockdep.Key
	tm := locks.NewMutex("t", &kt)
	s.DownWrite()
	s.DowngradeWrite()
	tm.Lock()
	tm.Unlock()
	s.UpRead()
	var types string
	for _, e := range lockdep.TakeSnapshot().Edges {
		if e.From == "s" && e.To == "t" {
			types = e.Types
		}
	}
	if types != "-(SN)->" {
		t.Errorf("dependency s -> t has types %q, want -(SN)->", types)
	}
	tm.Lock()
	s.DownWrite()
	s.UpWrite()
	tm.Unlock()
	wantKinds(t, rec, lockdep.Circular)
}

// TestRWLockRecursiveReadWhileWriterWaits: a reader of an RWLock gets in
// again while a writer waits, as read_lock does; it is neither reported nor
// blocked.
func TestRWLockRecursiveReadWhileWriterWaits(t *testing.T) {
	rec := lockdeptest.Capture(t)
	l := locks.NewRWLock("l", nil)
	reader, writer := newWorker(t), newWorker(t)
	reader.run(l.ReadLock)
	wrote := make(chan struct{})
	go writer.run(func() {
		l.WriteLock()
		l.WriteUnlock()
		close(wrote)
	})
	eventually(t, "the writer waits", func() bool { return l.WaitingWriters() == 1 })
	within(t, "a recursive read while a writer waits", func() { reader.run(l.ReadLock) })
	reader.run(func() {
		l.ReadUnlock()
		l.ReadUnlock()
	})
	select {
	case <-wrote:
	case <-time.After(5 * time.Second):
		t.Fatal("the writer never got the lock")
	}
	wantKinds(t, rec)
	mustWork(t, rec, l)
	mustWork(t, rec, l.ReadLocker())
}

// TestRWSemWriterPreference: a new reader waits while a writer waits, as
// rw_semaphore readers do.
func TestRWSemWriterPreference(t *testing.T) {
	rec := lockdeptest.Capture(t)
	s := locks.NewRWSem("s", nil)
	r1, w, r2 := newWorker(t), newWorker(t), newWorker(t)
	var seq atomic.Int32
	var wroteAt, readAt int32
	r1.run(s.DownRead)
	wDone, rDone := make(chan struct{}), make(chan struct{})
	go w.run(func() {
		s.DownWrite()
		wroteAt = seq.Add(1)
		s.UpWrite()
		close(wDone)
	})
	eventually(t, "the writer waits", func() bool { return s.WaitingWriters() == 1 })
	var tried bool
	r2.run(func() { tried = s.DownReadTrylock() })
	if tried {
		t.Fatal("a new reader got in while a writer waits")
	}
	go r2.run(func() {
		s.DownRead()
		readAt = seq.Add(1)
		s.UpRead()
		close(rDone)
	})
	time.Sleep(10 * time.Millisecond) // give the reader a chance to jump the queue
	r1.run(s.UpRead)
	for _, c := range []chan struct{}{wDone, rDone} {
		select {
		case <-c:
		case <-time.After(5 * time.Second):
			t.Fatal("hang")
		}
	}
	if wroteAt != 1 || readAt != 2 {
		t.Errorf("writer got the lock %dth and the new reader %dth, want the writer first", wroteAt, readAt)
	}
	wantKinds(t, rec)
	mustWork(t, rec, s)
	mustWork(t, rec, s.RLocker())
}

func TestPageLockFlags(t *testing.T) {
	rec := lockdeptest.Capture(t)
	const uptodate, dirty = locks.FirstFreeFlag, locks.FirstFreeFlag + 1
	p := newPageLock("page", nil)
	if p.SetFlag(uptodate) {
		t.Error("SetFlag: flag was already set")
	}
	if !p.SetFlag(uptodate) {
		t.Error("SetFlag: flag was not set")
	}
	if p.IsLocked() {
		t.Error("setting a flag locked the page")
	}
	p.Lock()
	if !p.IsLocked() || !p.TestFlag(uptodate) || p.TestFlag(dirty) {
		t.Errorf("locked page: locked %v uptodate %v dirty %v", p.IsLocked(), p.TestFlag(uptodate), p.TestFlag(dirty))
	}
	p.SetFlag(dirty)
	// A waiter sleeps until the unlock and finds the flags untouched.
	waiter := newWorker(t)
	var sawDirty bool
	waited := make(chan struct{})
	go waiter.run(func() {
		p.Lock()
		sawDirty = p.TestFlag(dirty)
		p.Unlock()
		close(waited)
	})
	time.Sleep(5 * time.Millisecond)
	p.Unlock()
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter was never woken")
	}
	if !sawDirty || !p.TestFlag(uptodate) {
		t.Errorf("flags lost across lock and unlock: dirty %v uptodate %v", sawDirty, p.TestFlag(uptodate))
	}
	if !p.ClearFlag(dirty) || p.ClearFlag(dirty) || p.TestFlag(dirty) {
		t.Error("ClearFlag did not clear the flag once")
	}
	if p.IsLocked() {
		t.Error("the page is still locked")
	}
	wantKinds(t, rec)
	mustWork(t, rec, p)
}

// TestMisuseDowngradeNotHeld: downgrading a write lock this goroutine does
// not hold is reported (it used to be accepted silently), and crashes
// nothing.
func TestMisuseDowngradeNotHeld(t *testing.T) {
	rec := lockdeptest.Capture(t)
	s := locks.NewRWSem("s", nil)
	holder := newWorker(t)
	holder.run(s.DownWrite)
	s.DowngradeWrite() // another goroutine's write hold
	r := wantKinds(t, rec, lockdep.BadUnlock)[0]
	if !strings.Contains(r.Message, "downgrade") {
		t.Errorf("message %q does not say downgrade", r.Message)
	}
	holder.run(s.UpRead) // the holder's hold is a read hold now
	wantKinds(t, rec)
	mustWork(t, rec, s)
	// Downgrading a read hold is reported too (another class: reports
	// are de-duplicated by kind and class).
	s2 := locks.NewRWSem("s2", nil)
	s2.DownRead()
	s2.DowngradeWrite()
	wantKinds(t, rec, lockdep.BadUnlock)
	s2.UpRead()
	wantKinds(t, rec)
}
