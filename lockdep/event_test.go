//go:build !lockdep_off

package lockdep_test

import (
	"strings"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
)

// inGoroutine runs f on a goroutine of its own and waits for it: the
// other side of a deadlock that this run never lets happen.
func inGoroutine(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

func waitCircularReports(r *privRecorder) []*lockdep.Report {
	r.v.FlushPending()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*lockdep.Report
	for _, rep := range r.rs {
		if rep.Kind == lockdep.WaitCircular {
			out = append(out, rep)
		}
	}
	return out
}

// The send shape: goroutine 1 sends while holding mu, goroutine 2 takes
// mu before it receives. Goroutine 2 runs first, so nothing blocks.
func TestEventSendShape(t *testing.T) {
	for _, order := range []string{"receiver first", "sender first"} {
		t.Run(order, func(t *testing.T) {
			r := newPrivRecorder(t, lockdep.Options{})
			var kmu, kch lockdep.Key
			mu := r.v.NewMap("mu", &kmu)
			ch := r.v.NewChan("ch", &kch)
			receiver := func() {
				mu.Acquire(0, lockdep.Exclusive)
				mu.Release()
				ch.Recv(1, 0)
			}
			sender := func() {
				mu.Acquire(0, lockdep.Exclusive)
				ch.Send(1, 0, 0)
				mu.Release()
			}
			if order == "receiver first" {
				inGoroutine(receiver)
				sender()
			} else {
				sender()
				inGoroutine(receiver)
			}
			got := waitCircularReports(r)
			if len(got) != 1 {
				t.Fatalf("want one wait-circular report, got %d: %v", len(got), r.kinds())
			}
			text := got[0].String()
			for _, want := range []string{"possible deadlock through a wait", "ch (received)", "mu", "DEADLOCK"} {
				if !strings.Contains(text, want) {
					t.Errorf("report lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

// The correct twins: the receiver takes mu only after its receive, or the
// sender drops mu before sending.
func TestEventTwinsClean(t *testing.T) {
	twins := map[string][2]func(mu *lockdep.Map, ch *lockdep.Chan){
		"receiver locks after": {
			func(mu *lockdep.Map, ch *lockdep.Chan) {
				ch.Recv(1, 0)
				mu.Acquire(0, lockdep.Exclusive)
				mu.Release()
			},
			func(mu *lockdep.Map, ch *lockdep.Chan) {
				mu.Acquire(0, lockdep.Exclusive)
				ch.Send(1, 0, 0)
				mu.Release()
			},
		},
		"sender unlocks first": {
			func(mu *lockdep.Map, ch *lockdep.Chan) {
				mu.Acquire(0, lockdep.Exclusive)
				mu.Release()
				ch.Recv(1, 0)
			},
			func(mu *lockdep.Map, ch *lockdep.Chan) {
				mu.Acquire(0, lockdep.Exclusive)
				mu.Release()
				ch.Send(1, 0, 0)
			},
		},
		"buffered with room": {
			func(mu *lockdep.Map, ch *lockdep.Chan) {
				mu.Acquire(0, lockdep.Exclusive)
				mu.Release()
				ch.Recv(1, 1)
			},
			func(mu *lockdep.Map, ch *lockdep.Chan) {
				mu.Acquire(0, lockdep.Exclusive)
				ch.Send(1, 1, 0)
				mu.Release()
			},
		},
	}
	for name, sides := range twins {
		t.Run(name, func(t *testing.T) {
			r := newPrivRecorder(t, lockdep.Options{})
			var kmu, kch lockdep.Key
			mu := r.v.NewMap("mu", &kmu)
			ch := r.v.NewChan("ch", &kch)
			inGoroutine(func() { sides[0](mu, ch) })
			sides[1](mu, ch)
			r.v.FlushPending()
			if ks := r.kinds(); len(ks) != 0 {
				t.Fatalf("want no report, got %v", ks)
			}
		})
	}
}

// A buffered channel used as a semaphore: once a goroutine takes back the
// value it sent, sends into the class are waits.
func TestEventSemaphore(t *testing.T) {
	r := newPrivRecorder(t, lockdep.Options{})
	var kmu, ksem lockdep.Key
	mu := r.v.NewMap("mu", &kmu)
	sem := r.v.NewChan("sem", &ksem)
	inGoroutine(func() {
		sem.Send(7, 1, 0) // acquire
		mu.Acquire(0, lockdep.Exclusive)
		mu.Release()
		sem.Recv(7, 1) // release
	})
	mu.Acquire(0, lockdep.Exclusive)
	sem.Send(7, 1, 0)
	sem.Recv(7, 1)
	mu.Release()
	if got := waitCircularReports(r); len(got) != 1 {
		t.Fatalf("want one wait-circular report, got %v", r.kinds())
	}
}

// The region ends at a wait: a lock taken before the goroutine's previous
// wait is not charged to a later completion.
func TestEventRegionEndsAtWait(t *testing.T) {
	r := newPrivRecorder(t, lockdep.Options{})
	var kmu, kev, kother lockdep.Key
	mu := r.v.NewMap("mu", &kmu)
	ev := r.v.NewEvent("ready", &kev)
	other := r.v.NewEvent("other", &kother)
	inGoroutine(func() {
		mu.Acquire(0, lockdep.Exclusive)
		mu.Release()
		other.Wait()
		ev.Complete()
	})
	mu.Acquire(0, lockdep.Exclusive)
	ev.Wait()
	mu.Release()
	r.v.FlushPending()
	if ks := r.kinds(); len(ks) != 0 {
		t.Fatalf("want no report, got %v", ks)
	}
	// The same without the intervening wait is a deadlock.
	inGoroutine(func() {
		mu.Acquire(0, lockdep.Exclusive)
		mu.Release()
		ev.Complete()
	})
	if got := waitCircularReports(r); len(got) != 1 {
		t.Fatalf("want one wait-circular report, got %v", r.kinds())
	}
	if !strings.Contains(got0(r).String(), "is completing event") {
		t.Errorf("the completion closed the cycle, the report should say so:\n%s", got0(r))
	}
}

func got0(r *privRecorder) *lockdep.Report { return waitCircularReports(r)[0] }

// WaitUnchecked records nothing.
func TestEventWaitUnchecked(t *testing.T) {
	r := newPrivRecorder(t, lockdep.Options{})
	var kmu, kev lockdep.Key
	mu := r.v.NewMap("mu", &kmu)
	ev := r.v.NewEvent("ready", &kev)
	inGoroutine(func() {
		mu.Acquire(0, lockdep.Exclusive)
		mu.Release()
		ev.Complete()
	})
	mu.Acquire(0, lockdep.Exclusive)
	ev.WaitUnchecked()
	mu.Release()
	r.v.FlushPending()
	if ks := r.kinds(); len(ks) != 0 {
		t.Fatalf("want no report, got %v", ks)
	}
}

// A select with a timer case parks the goroutine: its region starts again
// there (SelectTimed), while a select with a default case does not park
// and keeps it (Select(false)).
func TestSelectTimedEndsRegion(t *testing.T) {
	for _, timed := range []bool{true, false} {
		r := newPrivRecorder(t, lockdep.Options{})
		var kmu, kev, kch lockdep.Key
		mu := r.v.NewMap("mu", &kmu)
		ev := r.v.NewEvent("stopped", &kev)
		ticks := r.v.NewChan("ticks", &kch)
		inGoroutine(func() {
			mu.Acquire(0, lockdep.Exclusive) // the loop's prologue
			mu.Release()
			cases := []lockdep.SelectCase{{C: ticks, Ch: 1}}
			if timed {
				lockdep.SelectTimed(cases...)
			} else {
				lockdep.Select(false, cases...)
			}
			ev.Complete()
		})
		mu.Acquire(0, lockdep.Exclusive)
		ev.Wait()
		mu.Release()
		got := waitCircularReports(r)
		if timed && len(got) != 0 {
			t.Errorf("SelectTimed: the prologue's lock was charged to the completion: %v", r.kinds())
		}
		if !timed && len(got) != 1 {
			t.Errorf("Select(false): want the prologue's lock charged (one report), got %v", r.kinds())
		}
	}
}
