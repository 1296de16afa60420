//go:build !lockdep_off

package locks_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

// The class policy for zero-value locks (lockdep's site classes).

type account struct {
	id int
	mu locks.Mutex
	n  int
}

// transfer locks two accounts in id order, as careful code does.
func transfer(a, b *account) {
	if a.id > b.id {
		a, b = b, a
	}
	a.mu.Lock()
	b.mu.Lock()
	a.n--
	b.n++
	b.mu.Unlock()
	a.mu.Unlock()
}

// lockPair nests b inside a, whatever their ids: one line, so that the two
// directions of a test share a site.
func lockPair(a, b *account) {
	a.mu.Lock()
	b.mu.Lock()
	b.mu.Unlock()
	a.mu.Unlock()
}

func newAccounts(n int) []*account {
	as := make([]*account, n)
	for i := range as {
		as[i] = &account{id: i}
	}
	return as
}

type named struct {
	mu locks.Mutex
	rw locks.RWMutex
}

func (n *named) lockMu()        { n.mu.Lock() }
func (n *named) lockRW()        { n.rw.RLock() }
func (n *named) lockInClosure() { func() { n.mu.Lock() }() }
func lockFunc(mu *locks.Mutex)  { mu.Lock() }
func heldClass(t *testing.T) string {
	t.Helper()
	held := lockdep.HeldLocks()
	if len(held) != 1 {
		t.Fatalf("held %v, want one lock", held)
	}
	return held[0].Class
}

// TestSiteClassName: a zero-value lock's class is named after the owner of
// the code that first uses it (the receiver type of a method, the function
// enclosing a closure, or the function) and the lock type: no line number,
// no counter, the same in every binary built from this source.
func TestSiteClassName(t *testing.T) {
	lockdeptest.Capture(t)
	cases := []struct {
		lock   func(n *named)
		unlock func(n *named)
		want   string
	}{
		{(*named).lockMu, func(n *named) { n.mu.Unlock() }, "locks_test.(*named):Mutex"},
		{(*named).lockRW, func(n *named) { n.rw.RUnlock() }, "locks_test.(*named):RWMutex"},
		{(*named).lockInClosure, func(n *named) { n.mu.Unlock() }, "locks_test.(*named):Mutex"},
		{func(n *named) { lockFunc(&n.mu) }, func(n *named) { n.mu.Unlock() }, "locks_test.lockFunc:Mutex"},
		{func(n *named) { n.mu.Lock() }, func(n *named) { n.mu.Unlock() }, "locks_test.TestSiteClassName:Mutex"},
	}
	for _, c := range cases {
		n := &named{}
		c.lock(n)
		got := heldClass(t)
		c.unlock(n)
		if got != c.want {
			t.Errorf("class %q, want %q", got, c.want)
		}
	}
	var mu locks.Mutex
	mu.Lock()
	held := lockdep.HeldLocks()
	mu.Unlock()
	if !strings.HasPrefix(held[0].Instance, "Mutex@0x") {
		t.Errorf("instance %q, want Mutex@address", held[0].Instance)
	}
}

// TestSiteClassConsistentOrder: many instances of one class nested in one
// order (accounts by id) are not reported, and share a class.
func TestSiteClassConsistentOrder(t *testing.T) {
	rec := lockdeptest.Capture(t)
	as := newAccounts(50)
	for i := range as {
		for j := range as {
			if i != j {
				transfer(as[i], as[j])
			}
		}
	}
	wantKinds(t, rec)
	if s := lockdep.ReadStats(); s.Classes > 4 {
		t.Errorf("%d classes for one field locked on two lines", s.Classes)
	}
}

// TestSiteClassInversion: two instances nested both ways, at different
// times and in different goroutines, are one Circular report naming both
// instances, with the stacks of both nestings; more inverted pairs of the
// same class are the same problem.
func TestSiteClassInversion(t *testing.T) {
	rec := lockdeptest.Capture(t)
	as := newAccounts(4)
	lockPair(as[0], as[1])
	done := make(chan struct{})
	go func() {
		defer close(done)
		lockPair(as[1], as[0])
	}()
	<-done
	r := wantKinds(t, rec, lockdep.Circular)[0]
	text := r.String()
	for _, m := range []*lockdep.Map{as[0].mu.LockdepMap(), as[1].mu.LockdepMap()} {
		if !strings.Contains(text, m.String()) {
			t.Errorf("report does not name instance %s:\n%s", m, text)
		}
	}
	if len(r.Chain) != 1 || len(r.Chain[0].Stack) == 0 || r.New == nil || len(r.New.Stack) == 0 {
		t.Errorf("want both nestings' stacks: chain %+v, new %+v", r.Chain, r.New)
	}
	lockPair(as[2], as[3])
	lockPair(as[3], as[2])
	wantKinds(t, rec)
}

// TestSiteClassSameInstance: the very same zero-value lock taken twice is
// Recursive (asked with MightLock, so that the test does not deadlock).
func TestSiteClassSameInstance(t *testing.T) {
	rec := lockdeptest.Capture(t)
	a := &account{}
	a.mu.Lock()
	a.mu.LockdepMap().MightLock(0, lockdep.Exclusive)
	a.mu.Unlock()
	wantKinds(t, rec, lockdep.Recursive)
}

// TestSiteClassReaders: read locks of two instances of one class nested
// both ways are reported (a waiting writer on each makes it a deadlock, as
// Go's RWMutex blocks new readers behind a waiting writer).
func TestSiteClassReaders(t *testing.T) {
	rec := lockdeptest.Capture(t)
	type node struct{ mu locks.RWMutex }
	a, b := &node{}, &node{}
	rl := func(x, y *node) {
		x.mu.RLock()
		y.mu.RLock()
		y.mu.RUnlock()
		x.mu.RUnlock()
	}
	rl(a, b)
	wantKinds(t, rec)
	rl(b, a)
	wantKinds(t, rec, lockdep.Circular)
}

// TestSiteClassMemory: the learned pairs of locks that were garbage
// collected are given back.
func TestSiteClassMemory(t *testing.T) {
	lockdeptest.Capture(t)
	func() {
		as := newAccounts(2000)
		for i := 1; i < len(as); i++ {
			transfer(as[i-1], as[i])
		}
		if n := lockdep.ReadStats().InstancePairs; n != 1999 {
			t.Fatalf("%d pairs learned, want 1999", n)
		}
		runtime.KeepAlive(as)
	}()
	// A goroutine's held list keeps the last lock of each level it used
	// reachable (entries are not cleared on release, to keep the fast path
	// free of write barriers): the last nesting's pair may stay.
	deadline := time.Now().Add(10 * time.Second)
	for lockdep.ReadStats().InstancePairs > 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d pairs still kept after the locks were collected", lockdep.ReadStats().InstancePairs)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSiteClassScale: a great many zero-value locks, each locked once,
// share their site's class: validation never switches off and the class
// count does not grow with them. The million runs without -short.
func TestSiteClassScale(t *testing.T) {
	rec := lockdeptest.Capture(t)
	n := 1_000_000
	if testing.Short() {
		n = 50_000
	}
	type item struct {
		mu locks.Mutex
		v  int
	}
	before := lockdep.ReadStats().Classes
	var parent locks.Mutex
	for i := 0; i < n; i++ {
		it := &item{}
		it.mu.Lock()
		it.v++
		it.mu.Unlock()
		if i%1000 == 0 { // and some nested under one lock
			parent.Lock()
			it.mu.Lock()
			it.mu.Unlock()
			parent.Unlock()
		}
	}
	wantKinds(t, rec)
	s := lockdep.ReadStats()
	if s.Stopped || s.Classes-before > 4 {
		t.Fatalf("after %d locks: stopped %v (%s), %d new classes", n, s.Stopped, s.Limit, s.Classes-before)
	}
}
