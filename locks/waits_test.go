//go:build !lockdep_off

package locks_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
	"github.com/golockdep/lockdep/locks/chanop"
)

// The deadlock shapes through waits (lockdep.Event), hand-annotated with
// package locks and chanop. In each, the two goroutines are ordered so
// that the deadlock does not happen in the run; the validator must report
// it anyway, and stay quiet on the correct twin.

type (
	sendClass   struct{}
	recvClass   struct{}
	selectClass struct{}
	quitClass   struct{}
	closeClass  struct{}
	semClass    struct{}
)

func (sendClass) LockdepClass() string   { return "waits.send" }
func (recvClass) LockdepClass() string   { return "waits.recv" }
func (selectClass) LockdepClass() string { return "waits.select" }
func (quitClass) LockdepClass() string   { return "waits.quit" }
func (closeClass) LockdepClass() string  { return "waits.done" }
func (semClass) LockdepClass() string    { return "waits.sem" }

// shape is one deadlock shape: run executes it (buggy or fixed) without
// deadlocking; want is the kind the buggy version must be reported as.
type shape struct {
	name string
	want lockdep.Kind
	run  func(fixed bool)
}

// inStep runs a goroutine the test hands control to and waits for.
func inStep(f func()) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	return func() { <-done }
}

// outerKey gives the Cond shape's outer lock a class apart from the
// Cond's own lock: two zero-value mutexes first locked in one function
// share a site class.
var outerKey lockdep.Key

var waitShapes = []shape{
	{"send", lockdep.WaitCircular, func(fixed bool) {
		var mu locks.Mutex
		ch := make(chan int)
		unlocked := make(chan struct{})
		receiver := inStep(func() {
			mu.Lock()
			mu.Unlock()
			close(unlocked) // not a validated operation: test plumbing
			chanop.Recv[sendClass](ch)
		})
		<-unlocked
		mu.Lock()
		if fixed {
			mu.Unlock()
			chanop.Send[sendClass](ch, 1)
		} else {
			chanop.Send[sendClass](ch, 1)
			mu.Unlock()
		}
		receiver()
	}},
	{"receive", lockdep.WaitCircular, func(fixed bool) {
		var mu locks.Mutex
		ch := make(chan int)
		unlocked := make(chan struct{})
		sender := inStep(func() {
			mu.Lock()
			mu.Unlock()
			close(unlocked)
			chanop.Send[recvClass](ch, 1)
		})
		<-unlocked
		mu.Lock()
		if fixed {
			mu.Unlock()
			chanop.Recv[recvClass](ch)
		} else {
			chanop.Recv[recvClass](ch)
			mu.Unlock()
		}
		sender()
	}},
	{"select", lockdep.WaitCircular, func(fixed bool) {
		var mu locks.Mutex
		ch, quit := make(chan int), make(chan struct{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		unlocked := make(chan struct{})
		receiver := inStep(func() {
			mu.Lock()
			mu.Unlock()
			close(unlocked)
			chanop.Recv[selectClass](ch)
		})
		<-unlocked
		mu.Lock()
		if fixed {
			// The twin waits with a context case: cancellation ends the
			// wait whatever the locks do.
			chanop.Select(false, chanop.SendCase[selectClass](ch))
			select {
			case ch <- 1:
			case <-ctx.Done():
			}
		} else {
			chanop.Select(true, chanop.SendCase[selectClass](ch), chanop.RecvCase[quitClass](quit))
			select {
			case ch <- 1:
			case <-quit:
			}
		}
		mu.Unlock()
		receiver()
	}},
	{"close", lockdep.WaitCircular, func(fixed bool) {
		var mu locks.Mutex
		done := make(chan struct{})
		unlocked := make(chan struct{})
		closer := inStep(func() {
			mu.Lock()
			mu.Unlock()
			close(unlocked)
			chanop.Close[closeClass](done)
		})
		<-unlocked
		mu.Lock()
		if fixed {
			mu.Unlock()
			chanop.Recv[closeClass](done)
		} else {
			chanop.Recv[closeClass](done)
			mu.Unlock()
		}
		closer()
	}},
	{"WaitGroup", lockdep.WaitCircular, func(fixed bool) {
		var mu locks.Mutex
		var wg locks.WaitGroup
		unlocked := make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			mu.Unlock()
			close(unlocked)
		}()
		<-unlocked
		mu.Lock()
		if fixed {
			mu.Unlock()
			wg.Wait()
		} else {
			wg.Wait()
			mu.Unlock()
		}
	}},
	{"Cond", lockdep.WaitCircular, func(fixed bool) {
		var mu locks.Mutex
		outer := locks.NewMutex("outer", &outerKey)
		c := locks.NewCond(&mu)
		ready := false
		var waiting atomic.Bool
		unlocked := make(chan struct{})
		signaller := inStep(func() {
			outer.Lock()
			outer.Unlock()
			close(unlocked)
			for !waiting.Load() {
				time.Sleep(time.Millisecond)
			}
			mu.Lock()
			ready = true
			c.Signal()
			mu.Unlock()
		})
		<-unlocked
		outer.Lock()
		if fixed {
			outer.Unlock()
		}
		mu.Lock()
		waiting.Store(true)
		for !ready {
			c.Wait()
		}
		mu.Unlock()
		if !fixed {
			outer.Unlock()
		}
		signaller()
	}},
	{"Once", lockdep.Circular, func(fixed bool) {
		var mu locks.Mutex
		var once locks.Once
		first := inStep(func() {
			once.Do(func() {
				mu.Lock()
				mu.Unlock()
			})
		})
		first()
		if fixed {
			once.Do(func() {})
			mu.Lock()
			mu.Unlock()
			return
		}
		mu.Lock()
		once.Do(func() {})
		mu.Unlock()
	}},
	{"semaphore", lockdep.WaitCircular, func(fixed bool) {
		var mu locks.Mutex
		sem := make(chan struct{}, 1)
		holder := inStep(func() {
			chanop.Send[semClass](sem, struct{}{}) // acquire
			mu.Lock()
			mu.Unlock()
			chanop.Recv[semClass](sem) // release
		})
		holder()
		mu.Lock()
		if fixed {
			mu.Unlock()
		}
		chanop.Send[semClass](sem, struct{}{})
		chanop.Recv[semClass](sem)
		if !fixed {
			mu.Unlock()
		}
	}},
}

func TestWaitShapes(t *testing.T) {
	for _, s := range waitShapes {
		t.Run(s.name, func(t *testing.T) {
			rec := lockdeptest.Capture(t)
			s.run(false)
			lockdep.FlushPending()
			got := rec.Kinds()
			if len(got) != 1 || got[0] != s.want {
				t.Fatalf("buggy %s: want one %v report, got %v", s.name, s.want, got)
			}
			t.Logf("%s", rec.Reports()[0])
		})
		t.Run(s.name+"/fixed", func(t *testing.T) {
			rec := lockdeptest.Capture(t)
			s.run(true)
			lockdep.FlushPending()
			if got := rec.Reports(); len(got) != 0 {
				t.Fatalf("fixed %s: want no report, got %v:\n%s", s.name, rec.Kinds(), got[0])
			}
		})
	}
}
