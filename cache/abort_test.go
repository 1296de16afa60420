package cache

import (
	"errors"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
)

var testKeys = NewKeys("testfs")

type nopOps struct{}

func (nopOps) ReadPage(*Task, *Page) Stamp   { return Stamp{} }
func (nopOps) WritePage(*Task, *Page, Stamp) {}
func (nopOps) Size() uint64                  { return 1 << 20 }

// TestAbortOnSelfDeadlock: a read-path fill while holding invalidate_lock
// exclusive is reported as recursive and aborted instead of hanging, and
// the aborted operation leaves no lock held, in the validator or for real.
func TestAbortOnSelfDeadlock(t *testing.T) {
	if !lockdep.Enabled {
		t.Skip("the validator is compiled out")
	}
	lockdep.Reset()
	t.Cleanup(lockdep.Reset)
	w := NewWorld(Options{Blocks: 64})
	var reports []*lockdep.Report
	restore := lockdep.SetHandler(func(r *lockdep.Report) {
		reports = append(reports, r)
		w.AbortOnSelfDeadlock(r)
	})
	defer restore()
	m := NewMapping(w, 1, testKeys, nopOps{}, GuardInvalidateLock)
	task := NewTask(w, "t", NewMM(w, "p"))
	op := w.Go("dedupe", func() error {
		m.InvalidateLock.DownWrite()
		defer m.InvalidateLock.UpWrite()
		m.ReadPage(task, 0, w.Oracle.Now(), "compare")
		return nil
	})
	err := op.Wait()
	var a *Abort
	if !errors.As(err, &a) || a.Report.Kind != lockdep.Recursive {
		t.Fatalf("err %v, want an abort on a recursive report", err)
	}
	if len(reports) != 1 {
		t.Errorf("%d reports", len(reports))
	}
	for _, g := range lockdep.AllHeldLocks() {
		for _, l := range g.Locks {
			if l.Instance == m.InvalidateLock.LockdepMap().String() {
				t.Errorf("goroutine %d still holds %s", g.Goroutine, l.Instance)
			}
		}
	}
	if !m.InvalidateLock.DownWriteTrylock() {
		t.Fatal("invalidate_lock still locked after the abort")
	}
	m.InvalidateLock.UpWrite()
}
