// Package twins holds the correct twin of each program of package
// predicted, in the same order of goroutines: the lock is released before
// the wait, the select has a ctx.Done() case, the buffered channel has
// room, the semaphore is taken before the lock. Nothing is reported.
package twins

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Send: the sender drops mu before it sends.
func Send() {
	var mu sync.Mutex
	ch := make(chan int)
	ready, got := make(chan struct{}), make(chan int)
	go func() {
		mu.Lock()
		mu.Unlock()
		close(ready)
		got <- <-ch
	}()
	<-ready
	mu.Lock()
	mu.Unlock()
	ch <- 1
	<-got
}

// Buffered: the sender holds mu while it sends into a buffered channel
// that has room: the send cannot block.
func Buffered() {
	var mu sync.Mutex
	ch := make(chan int, 1)
	ready, got := make(chan struct{}), make(chan int)
	go func() {
		mu.Lock()
		mu.Unlock()
		close(ready)
		got <- <-ch
	}()
	<-ready
	mu.Lock()
	ch <- 1
	mu.Unlock()
	<-got
}

// Recv: the receiver drops mu before it receives.
func Recv() {
	var mu sync.Mutex
	ch := make(chan int)
	ready := make(chan struct{})
	go func() {
		mu.Lock()
		mu.Unlock()
		close(ready)
		ch <- 1
	}()
	<-ready
	mu.Lock()
	mu.Unlock()
	<-ch
}

// Select: the select that holds mu can give up on ctx.Done().
func Select() {
	var mu sync.Mutex
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := make(chan int)
	ready, got := make(chan struct{}), make(chan int)
	go func() {
		mu.Lock()
		mu.Unlock()
		close(ready)
		got <- <-ch
	}()
	<-ready
	mu.Lock()
	select {
	case ch <- 1:
	case <-ctx.Done():
	}
	mu.Unlock()
	<-got
}

// Close: the waiter drops mu before it waits for the close.
func Close() {
	var mu sync.Mutex
	stop, closed := make(chan struct{}), make(chan struct{})
	go func() {
		mu.Lock()
		mu.Unlock()
		close(stop)
		close(closed)
	}()
	<-closed
	mu.Lock()
	mu.Unlock()
	<-stop
}

// WaitGroup: Wait after mu is released.
func WaitGroup() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	finished := make(chan struct{})
	wg.Add(1)
	go func() {
		mu.Lock()
		mu.Unlock()
		wg.Done()
		close(finished)
	}()
	<-finished
	mu.Lock()
	mu.Unlock()
	wg.Wait()
}

// Cond: the waiter holds only the Cond's own lock, which Wait releases.
func Cond() {
	var mu, cmu sync.Mutex
	c := sync.NewCond(&cmu)
	var waiting atomic.Bool
	signalled := false
	ready, done := make(chan struct{}), make(chan struct{})
	go func() {
		mu.Lock()
		mu.Unlock()
		close(ready)
		for !waiting.Load() {
			time.Sleep(time.Millisecond)
		}
		cmu.Lock()
		signalled = true
		c.Signal()
		cmu.Unlock()
		close(done)
	}()
	<-ready
	mu.Lock()
	mu.Unlock()
	cmu.Lock()
	waiting.Store(true)
	for !signalled {
		c.Wait()
	}
	cmu.Unlock()
	<-done
}

type lazy struct {
	once sync.Once
	v    int
}

func (l *lazy) get(init func() int) int {
	l.once.Do(func() { l.v = init() })
	return l.v
}

// Once: the second value's first caller drops mu before Do.
func Once() {
	var mu sync.Mutex
	a, b := &lazy{}, &lazy{}
	done := make(chan struct{})
	go func() {
		a.get(func() int {
			mu.Lock()
			defer mu.Unlock()
			return 1
		})
		close(done)
	}()
	<-done
	mu.Lock()
	mu.Unlock()
	b.get(func() int { return 2 })
}

// Semaphore: both goroutines take the semaphore before mu.
func Semaphore() {
	var mu sync.Mutex
	sem := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		sem <- struct{}{}
		mu.Lock()
		mu.Unlock()
		<-sem
		close(done)
	}()
	<-done
	sem <- struct{}{}
	mu.Lock()
	mu.Unlock()
	<-sem
}

// Param: the sender drops mu before it sends to the receiving function.
func Param() {
	var mu sync.Mutex
	ch := make(chan int)
	ready, got := make(chan struct{}), make(chan int)
	go receive(&mu, ch, ready, got)
	<-ready
	mu.Lock()
	mu.Unlock()
	ch <- 1
	<-got
}

func receive(mu *sync.Mutex, ch <-chan int, ready chan<- struct{}, got chan<- int) {
	mu.Lock()
	mu.Unlock()
	close(ready)
	got <- <-ch
}
