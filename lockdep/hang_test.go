//go:build !lockdep_off

package lockdep_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
)

// A wait longer than HangTimeout is one Hung report showing every
// goroutine's locks and waits; a short wait is none.
func TestHungWait(t *testing.T) {
	r := newPrivRecorder(t, lockdep.Options{HangTimeout: 30 * time.Millisecond})
	var ka, kev lockdep.Key
	a := r.v.NewMap("table", &ka)
	ev := r.v.NewEvent("reply", &kev)

	held := make(chan struct{})
	release := make(chan struct{})
	holder := inGoroutineAsync(func() {
		a.Acquire(0, lockdep.Exclusive)
		close(held)
		<-release
		a.Release()
	})
	<-held
	// A short event wait: no report.
	ev.Wait()
	ev.EndWait()
	// A long one, on the lock: one report, whatever its length.
	waiter := inGoroutineAsync(func() {
		a.Acquire(0, lockdep.Exclusive)
		start := ld.Wait(a)
		// Wait for the report (the watchdog looks four times per
		// timeout), then three timeouts more: it must not come again.
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !hasKind(r, lockdep.Hung); {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		ld.Granted(a, lockdep.Exclusive, start)
		a.Release()
	})
	waiter()
	close(release)
	holder()

	var hung []*lockdep.Report
	r.mu.Lock()
	for _, rep := range r.rs {
		if rep.Kind == lockdep.Hung {
			hung = append(hung, rep)
		}
	}
	r.mu.Unlock()
	if len(hung) != 1 {
		t.Fatalf("want one hung report, got %v", r.kinds())
	}
	text := hung[0].String()
	for _, want := range []string{"goroutine blocked for too long", "has waited for table", "Showing all locks held", "(table){write}", "waits for table"} {
		if !strings.Contains(text, want) {
			t.Errorf("hung report lacks %q:\n%s", want, text)
		}
	}
}

// inGoroutineAsync starts f and returns a function that waits for it.
func inGoroutineAsync(f func()) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	return func() { <-done }
}

func hasKind(r *privRecorder, k lockdep.Kind) bool {
	for _, x := range r.kinds() {
		if x == k {
			return true
		}
	}
	return false
}

// The watchdog runs only while a goroutine waits: a test that checks for
// leaked goroutines right after its waits must not find it.
func TestHungWatchdogEnds(t *testing.T) {
	r := newPrivRecorder(t, lockdep.Options{HangTimeout: time.Hour})
	var kev lockdep.Key
	ev := r.v.NewEvent("reply", &kev)
	ev.Wait()
	for deadline := time.Now().Add(10 * time.Second); !watchdogRunning(r.v); {
		if time.Now().After(deadline) {
			t.Fatal("no watchdog while a goroutine waits")
		}
		time.Sleep(time.Millisecond)
	}
	ev.EndWait()
	for deadline := time.Now().Add(10 * time.Second); watchdogRunning(r.v); {
		if time.Now().After(deadline) {
			t.Fatal("the watchdog still runs 10s after the last wait ended")
		}
		time.Sleep(time.Millisecond)
	}
}

// watchdogRunning looks for v's watchdog in a dump of all goroutines (its
// receiver is printed as its first argument).
func watchdogRunning(v *lockdep.Validator) bool {
	buf := make([]byte, 1<<20)
	return strings.Contains(string(buf[:runtime.Stack(buf, true)]), fmt.Sprintf("lockdep.(*Validator).watchdog(%p", v))
}
