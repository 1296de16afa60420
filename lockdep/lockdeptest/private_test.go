package lockdeptest_test

import (
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
)

// TestPrivate: an ABBA on a private validator is reported to its own
// Recorder only; another private validator, and the default one, see
// nothing. The test runs in parallel with the others for that reason.
func TestPrivate(t *testing.T) {
	t.Parallel()
	v, rec := lockdeptest.Private(t)
	other, otherRec := lockdeptest.Private(t)
	defaultBefore := lockdep.ReportCount()
	var ka, kb lockdep.Key
	a, b := v.NewMap("a", &ka), v.NewMap("b", &kb)
	a.Acquire(0, lockdep.Exclusive)
	b.Acquire(0, lockdep.Exclusive)
	b.Release()
	a.Release()
	b.Acquire(0, lockdep.Exclusive)
	a.Acquire(0, lockdep.Exclusive)
	a.Release()
	b.Release()
	v.FlushPending()
	if got := rec.Kinds(); len(got) != 1 || got[0] != lockdep.Circular {
		t.Errorf("private validator reported %v, want [circular]", got)
	}
	other.FlushPending()
	if got := otherRec.Kinds(); len(got) != 0 {
		t.Errorf("another private validator reported %v, want nothing", got)
	}
	if n := lockdep.ReportCount() - defaultBefore; n != 0 {
		t.Errorf("the default validator made %d reports", n)
	}
}
