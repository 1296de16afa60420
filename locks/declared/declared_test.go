//go:build !lockdep_off

package declared_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks/declared"
)

// Markers as "lockdepd test" generates them, one per declaration.

type kAccount struct{}

func (kAccount) LockdepClass() string { return "bank.Account.mu" }

type kBranch struct{}

func (kBranch) LockdepClass() string { return "bank.Branch.rw" }

type kTable struct{}

func (kTable) LockdepClass() string { return "bank.Table.locks[]" }

type kEmbed struct{}

func (kEmbed) LockdepClass() string { return "bank.Ledger.Mutex" }

type account struct{ mu declared.Mutex[kAccount] }

type branch struct{ rw declared.RWMutex[kBranch] }

// ledger embeds its mutex, as code that embedded sync.Mutex does after the
// rewrite: the field keeps the name Mutex.
type ledger struct {
	declared.Mutex[kEmbed]
	n int
}

func heldClasses() []string {
	var cs []string
	for _, h := range lockdep.HeldLocks() {
		cs = append(cs, h.Class)
	}
	return cs
}

// TestClassNames: each lock is in the class its marker names, however it
// is reached: a field, an embedded field, a pointer taken with MutexPtr, a
// mutex allocated with NewMutex.
func TestClassNames(t *testing.T) {
	lockdeptest.Capture(t)
	var a account
	var b branch
	var l ledger
	p := declared.MutexPtr(&a.mu)
	q := declared.NewMutex[kTable]()
	r := declared.NewRWMutex[kBranch]()
	for _, c := range []struct {
		want         string
		lock, unlock func()
	}{
		{"bank.Account.mu", a.mu.Lock, a.mu.Unlock},
		{"bank.Branch.rw", b.rw.RLock, b.rw.RUnlock},
		{"bank.Ledger.Mutex", l.Lock, l.Mutex.Unlock},
		{"bank.Account.mu", p.Lock, p.Unlock},
		{"bank.Table.locks[]", q.Lock, q.Unlock},
		{"bank.Branch.rw", r.Lock, r.Unlock},
	} {
		c.lock()
		if got := heldClasses(); len(got) != 1 || got[0] != c.want {
			t.Errorf("held %v, want [%s]", got, c.want)
		}
		c.unlock()
	}
}

// TestCrossPairInversion: an order learned on one pair of objects is
// checked on another pair, because the classes are the declarations: the
// report names both fields, though no single pair was nested both ways.
func TestCrossPairInversion(t *testing.T) {
	rec := lockdeptest.Capture(t)
	deposit := func(a *account, b *branch) {
		b.rw.Lock()
		a.mu.Lock()
		a.mu.Unlock()
		b.rw.Unlock()
	}
	audit := func(a *account, b *branch) {
		a.mu.Lock()
		b.rw.RLock()
		b.rw.RUnlock()
		a.mu.Unlock()
	}
	deposit(&account{}, &branch{})
	if n := len(rec.Reports()); n != 0 {
		t.Fatalf("%d reports after one order", n)
	}
	audit(&account{}, &branch{})
	rs := rec.Reports()
	if len(rs) != 1 || rs[0].Kind != lockdep.Circular {
		t.Fatalf("reports %v, want one circular", rec.Kinds())
	}
	text := rs[0].String()
	for _, want := range []string{"bank.Account.mu", "bank.Branch.rw"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

// TestSameClassNesting: instances of one declared class nested in one
// consistent order are not reported; a pair nested both ways is, once.
func TestSameClassNesting(t *testing.T) {
	rec := lockdeptest.Capture(t)
	as := make([]account, 4)
	nest := func(outer, inner *account) {
		outer.mu.Lock()
		inner.mu.Lock()
		inner.mu.Unlock()
		outer.mu.Unlock()
	}
	for i := 0; i+1 < len(as); i++ {
		nest(&as[i], &as[i+1])
	}
	if n := len(rec.Reports()); n != 0 {
		t.Fatalf("%d reports for a consistent order: %v", n, rec.Kinds())
	}
	nest(&as[2], &as[1])
	nest(&as[2], &as[1])
	if ks := rec.Kinds(); len(ks) != 1 || ks[0] != lockdep.Circular {
		t.Fatalf("reports %v, want one circular", ks)
	}
}

// TestConcurrentFirstUse: goroutines racing to a lock's first use agree on
// one class and one instance: the mutex excludes, and no report is made.
func TestConcurrentFirstUse(t *testing.T) {
	rec := lockdeptest.Capture(t)
	for round := 0; round < 50; round++ {
		var a account
		var rw branch
		n := 0
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if g%2 == 0 {
					rw.rw.RLock()
					defer rw.rw.RUnlock()
				}
				a.mu.Lock()
				n++
				a.mu.Unlock()
			}()
		}
		wg.Wait()
		if n != 8 {
			t.Fatalf("n = %d, want 8", n)
		}
	}
	if ks := rec.Kinds(); len(ks) != 0 {
		t.Fatalf("reports %v", ks)
	}
}

// TestTryAndLocker: the rest of package sync's methods.
func TestTryAndLocker(t *testing.T) {
	lockdeptest.Capture(t)
	var a account
	var b branch
	if !a.mu.TryLock() || a.mu.TryLock() {
		t.Fatal("TryLock")
	}
	a.mu.Unlock()
	if !b.rw.TryRLock() || b.rw.TryLock() {
		t.Fatal("TryRLock")
	}
	b.rw.RUnlock()
	if !b.rw.TryLock() {
		t.Fatal("TryLock of an unlocked RWMutex")
	}
	b.rw.Unlock()
	l := b.rw.RLocker()
	l.Lock()
	if got := heldClasses(); len(got) != 1 || got[0] != "bank.Branch.rw" {
		t.Errorf("RLocker holds %v", got)
	}
	l.Unlock()
	var _ sync.Locker = declared.RWMutexPtr(&b.rw)
}
