// Package predicted holds, for each shape of a deadlock through a wait,
// a program in which the deadlock does not happen in this run: the
// goroutines are ordered so that they miss each other. Another schedule
// hangs. Each function's locks and channels are its own, so that each
// prediction names its shape (predicted.Send.mu).
package predicted

import (
	"sync"
	"sync/atomic"
	"time"
)

// Send: the sender holds mu while it sends; the receiver takes mu before
// it receives. The receiver is done with mu before the sender takes it.
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
	ch <- 1
	mu.Unlock()
	<-got
}

// Recv: the receiver holds mu while it receives; the sender takes mu
// before it sends.
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
	<-ch
	mu.Unlock()
}

// Select: the send shape with a select of two sends, no default.
func Select() {
	var mu sync.Mutex
	ch, other := make(chan int), make(chan int)
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
	case other <- 1:
	}
	mu.Unlock()
	<-got
}

// Close: the waiter holds mu while it waits for the channel's close; the
// closer takes mu first. The closer is done before the waiter starts.
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
	<-stop
	mu.Unlock()
}

// WaitGroup: Wait while holding mu; the worker takes mu before Done.
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
	wg.Wait()
	mu.Unlock()
}

// Cond: the waiter holds mu (not the Cond's own lock) in Wait; the
// signaller takes mu before it signals. The signaller is done with mu
// before the waiter takes it, and signals once the waiter sleeps.
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
		cmu.Lock() // free once the waiter sleeps in Wait
		signalled = true
		c.Signal()
		cmu.Unlock()
		close(done)
	}()
	<-ready
	mu.Lock()
	cmu.Lock()
	waiting.Store(true)
	for !signalled {
		c.Wait()
	}
	cmu.Unlock()
	mu.Unlock()
	<-done
}

// lazy is a value made on first use, by whatever function its first
// caller passes.
type lazy struct {
	once sync.Once
	v    int
}

func (l *lazy) get(init func() int) int {
	l.once.Do(func() { l.v = init() })
	return l.v
}

// Once: one lazy value's init takes mu; another's first caller holds mu.
// Had that caller come to the first value while its init ran, neither
// would go on.
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
	b.get(func() int { return 2 })
	mu.Unlock()
}

// Semaphore: a buffered channel used as a semaphore, taken inside mu by
// one goroutine and around mu by another. The one that takes it around
// mu runs first, so that the class is known to be a semaphore.
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
	mu.Lock()
	sem <- struct{}{}
	<-sem
	mu.Unlock()
}

// Param: the send shape across a function: the receiver gets the channel
// as a parameter, in the class of the channel its one caller passes.
func Param() {
	var mu sync.Mutex
	ch := make(chan int)
	ready, got := make(chan struct{}), make(chan int)
	go receive(&mu, ch, ready, got)
	<-ready
	mu.Lock()
	ch <- 1
	mu.Unlock()
	<-got
}

func receive(mu *sync.Mutex, ch <-chan int, ready chan<- struct{}, got chan<- int) {
	mu.Lock()
	mu.Unlock()
	close(ready)
	got <- <-ch
}
