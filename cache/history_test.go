package cache

import (
	"strings"
	"testing"
)

// TestOracleSlowReader: a read stays in flight while other operations
// rewrite its page many more times than the oracle used to remember (48
// states). The data it got when it started is still legal, and must not
// be called stale; once it has returned, the page's history shrinks
// again and the old data is stale for a new read.
func TestOracleSlowReader(t *testing.T) {
	w := NewWorld(Options{Blocks: 16})
	o := w.Oracle
	old := o.NewStamp(1, 0)
	o.Set(1, 0, old, nil)
	err := w.Run(func() error {
		t0 := o.Now()
		for i := 0; i < 200; i++ {
			w.Go("write", func() error {
				o.Set(1, 0, o.NewStamp(1, 0), nil)
				return nil
			}).Wait()
		}
		if !o.CheckRead(1, 0, old, t0, "slow read") {
			t.Errorf("a read in flight since before 200 writes was called stale: %q", o.Findings())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	o.Set(1, 0, o.NewStamp(1, 0), nil)
	if n := len(o.pages[Owner{1, 0}].es); n > keepHistory+1 {
		t.Errorf("history has %d states with nothing in flight, want at most %d", n, keepHistory+1)
	}
	if o.CheckRead(1, 0, old, o.Now(), "late read") {
		t.Error("a read that started after 200 writes accepted the first data")
	}
	if c := o.Counts(); c.StaleReads != 1 {
		t.Errorf("stale reads %d, want 1 (the late read)", c.StaleReads)
	}
	if states, reads := o.Unchecked(); states != 0 || reads != 0 {
		t.Errorf("unchecked %d states, %d reads: the cap was not reached", states, reads)
	}
}

// TestOracleOldestOperationPins: the history keeps what the oldest
// operation in flight may read, however the others start and end.
func TestOracleOldestOperationPins(t *testing.T) {
	o := newOracle()
	old := o.NewStamp(1, 0)
	o.Set(1, 0, old, nil)
	a := o.opStart()
	t0 := o.Now()
	b := o.opStart()
	for i := 0; i < 100; i++ {
		o.Set(1, 0, o.NewStamp(1, 0), nil)
	}
	o.opEnd(b)
	c := o.opStart()
	for i := 0; i < 100; i++ {
		o.Set(1, 0, o.NewStamp(1, 0), nil)
	}
	if !o.CheckRead(1, 0, old, t0, "read of operation a") {
		t.Errorf("the oldest operation's read was called stale: %q", o.Findings())
	}
	o.opEnd(a)
	o.Set(1, 0, o.NewStamp(1, 0), nil)
	// Only c is in flight: what ended before it started may go. It may
	// read the state current when it started, the 100 written since and
	// the last one.
	if n := len(o.pages[Owner{1, 0}].es); n != 102 {
		t.Errorf("history has %d states; operation c can read 102", n)
	}
	o.opEnd(c)
}

// TestOracleHistoryCap: an operation that never returns does not make the
// history grow without bound. Past the cap the oldest states go, and a
// read that might have seen one of them is counted as unchecked, not as
// stale; reads that started after they ended are still checked.
func TestOracleHistoryCap(t *testing.T) {
	o := newOracle()
	old := o.NewStamp(1, 0)
	o.Set(1, 0, old, nil)
	stuck := o.opStart()
	t0 := o.Now()
	for i := 0; i < 2*maxHistory; i++ {
		o.Set(1, 0, o.NewStamp(1, 0), nil)
	}
	n := len(o.pages[Owner{1, 0}].es)
	if n > maxHistory {
		t.Errorf("history has %d states, cap %d", n, maxHistory)
	}
	// Of the hole, old and the 2*maxHistory writes, only the hole ended
	// before the stuck operation started.
	if states, _ := o.Unchecked(); states != 2*maxHistory+1-n {
		t.Errorf("%d states dropped at the cap, want %d", states, 2*maxHistory+1-n)
	}
	if !o.CheckRead(1, 0, old, t0, "stuck read") {
		t.Error("a read that may have seen a dropped state was called stale")
	}
	if _, reads := o.Unchecked(); reads != 1 {
		t.Errorf("unchecked reads %d, want 1", reads)
	}
	if o.CheckRead(1, 0, old, o.Now(), "late read") {
		t.Error("a read that started after the dropped states ended was not checked")
	}
	if c := o.Counts(); c.StaleReads != 1 {
		t.Errorf("stale reads %d, want 1 (the late read)", c.StaleReads)
	}
	fs := o.Findings()
	if len(fs) != 2 || !strings.HasPrefix(fs[1], "unchecked: 1 read(s)") {
		t.Errorf("findings %q: the last should count the unchecked read", fs)
	}
	o.opEnd(stuck)
	o.Set(1, 0, o.NewStamp(1, 0), nil)
	if n := len(o.pages[Owner{1, 0}].es); n > keepHistory+1 {
		t.Errorf("history has %d states once nothing is in flight", n)
	}
}
