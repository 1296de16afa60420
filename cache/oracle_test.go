package cache

import (
	"strings"
	"testing"
)

func TestOracleReadWindow(t *testing.T) {
	o := newOracle()
	a := o.NewStamp(1, 0)
	b := o.NewStamp(1, 0)
	o.Set(1, 0, a, nil)
	t0 := o.Now()
	c := o.Begin(1, 0, b)
	// While the change is pending both states are acceptable.
	if !o.CheckRead(1, 0, a, t0, "r") || !o.CheckRead(1, 0, b, t0, "r") {
		t.Fatal("pending change: old and new must both be acceptable")
	}
	c.Commit()
	// A read that started before the commit may still see the old data.
	if !o.CheckRead(1, 0, a, t0, "r") {
		t.Error("read overlapping the commit rejected the old data")
	}
	// One that starts after it may not.
	if o.CheckRead(1, 0, a, o.Now(), "late read") {
		t.Error("read after the commit accepted the old data")
	}
	if o.CheckRead(1, 0, Stamp{}, o.Now(), "r") {
		t.Error("zeroes accepted for written data")
	}
	got := o.Counts()
	if got.StaleReads != 2 {
		t.Errorf("stale reads %d, want 2", got.StaleReads)
	}
	if fs := o.Findings(); len(fs) != 2 || !strings.Contains(fs[0], "late read of ino 1 page 0") {
		t.Errorf("findings %q", fs)
	}
}

func TestOracleHoleAndAbort(t *testing.T) {
	o := newOracle()
	if !o.CheckRead(7, 3, Stamp{}, o.Now(), "r") {
		t.Error("a never-written page must read as zeroes")
	}
	s := o.NewStamp(7, 3)
	c := o.Begin(7, 3, s)
	c.Abort()
	if o.CheckRead(7, 3, s, o.Now(), "r") {
		t.Error("aborted change accepted")
	}
	other := o.NewStamp(8, 3)
	if o.CheckRead(7, 3, other, 0, "r") {
		t.Error("another file's data accepted")
	}
	if fs := o.Findings(); len(fs) != 2 || !strings.Contains(fs[1], "another file's data") {
		t.Errorf("findings %q: the second should say whose data it was", fs)
	}
}

func TestOracleWriteback(t *testing.T) {
	o := newOracle()
	s := o.NewStamp(1, 0)
	o.Set(1, 0, s, nil)
	o.checkWriteback(1, 0, s, "wb")
	if !o.Counts().Zero() {
		t.Fatal("writeback of current data counted")
	}
	o.Begin(1, 0, Stamp{}).Commit() // punched
	o.checkWriteback(1, 0, s, "wb")
	if o.Counts().LostWrites != 1 {
		t.Error("writeback over a punched page not counted")
	}
}

func TestOracleHistoryBounded(t *testing.T) {
	o := newOracle()
	for i := 0; i < 1000; i++ {
		o.Set(1, 0, o.NewStamp(1, 0), nil)
	}
	if n := len(o.pages[Owner{1, 0}].es); n > 64 {
		t.Errorf("history has %d entries", n)
	}
}
