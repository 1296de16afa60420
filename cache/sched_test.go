package cache

import (
	"testing"
	"time"

	"github.com/golockdep/lockdep/locks"
)

func TestGateStopsAndReleases(t *testing.T) {
	w := NewWorld(Options{Blocks: 8})
	g := w.Sched.Arm("p")
	passed := w.Sched.watch("q")
	op := w.Go("op", func() error {
		w.Sched.Point("q")
		w.Sched.Point("p")
		return nil
	})
	<-g.Reached()
	<-passed
	if op.WaitDoneOrBlocked() {
		t.Fatal("op finished while stopped at the gate")
	}
	g.Release()
	if err := op.Wait(); err != nil {
		t.Fatal(err)
	}
	// Unarmed points do not stop anyone.
	w.Sched.Point("p")
}

func TestWaitDoneOrBlockedSeesLockWait(t *testing.T) {
	w := NewWorld(Options{Blocks: 8})
	var l locks.RWSem
	l.DownWrite()
	op := w.Go("reader", func() error { l.DownRead(); l.UpRead(); return nil })
	if op.WaitDoneOrBlocked() {
		t.Fatal("reader finished while the writer held the lock")
	}
	l.UpWrite()
	select {
	case <-op.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("reader never finished")
	}
	quick := w.Go("quick", func() error { return nil })
	if !quick.WaitDoneOrBlocked() {
		t.Error("a finished op reported as blocked")
	}
}
