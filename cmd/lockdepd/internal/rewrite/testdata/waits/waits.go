// Package waits has every channel operation the rewrite instruments, and
// some it must leave alone.
package waits

import (
	"context"
	"sync"
	"time"
)

type Server struct {
	mu      sync.Mutex
	results chan int
	errs    chan error
	workers []chan string
	byName  map[string]chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
	cond    *sync.Cond
	ready   sync.Cond
	inner   struct{ quit chan bool }
	// gate stops a goroutine in a test until the test lets it go on.
	//lockdepd:ignore
	gate  chan struct{}
	gates []chan struct{} //lockdepd:ignore
}

//lockdepd:ignore
var tick = make(chan int)

var global = make(chan int, 1)

type Queue chan int

type fault struct{}

func (fault) Error() string { return "fault" }

// Mailbox is not a channel: its Send is left alone.
type Mailbox struct{ box []int }

func (m *Mailbox) Send(v int) { m.box = append(m.box, v) }

func New() *Server {
	s := &Server{results: make(chan int), errs: make(chan error, 1), byName: map[string]chan struct{}{}}
	s.cond = sync.NewCond(&s.mu)
	s.ready = sync.Cond{L: &s.mu}
	return s
}

func (s *Server) Run(ctx context.Context, in <-chan int, out chan<- int) {
	s.mu.Lock()
	s.results <- 1
	s.mu.Unlock()
	v := <-s.results
	v, ok := <-in
	_ = ok
	out <- v + <-global
	s.errs <- fault{}
	s.errs <- nil
	s.workers[0] <- "w"
	<-s.byName["x"]
	close(s.inner.quit)
	var q Queue = make(Queue, 1)
	q <- 2
	local := s.results
	go func() { local <- 3 }()
	<-s.source()
	<-time.After(time.Millisecond)
	<-ctx.Done()
	var m Mailbox
	m.Send(4)
	s.wg.Add(1)
	go func() { defer s.wg.Done(); s.once.Do(func() {}) }()
	s.wg.Wait()
}

func (s *Server) source() chan int { return s.results }

// Gated: the operations on ignored channels are left alone, and so is a
// select with a case on one.
func (s *Server) Gated() {
	<-s.gate
	close(s.gates[0])
	tick <- 1
	select {
	case <-s.gate:
	case <-s.results:
	}
}

func (s *Server) Loops(in chan int) (sum int) {
	for v := range in {
		v := v * 2
		sum += v
	}
outer:
	for range s.results {
		if sum > 10 {
			break outer
		}
		continue
	}
	var last int
	for last = range global {
		sum += last
	}
	return sum
}

func (s *Server) Selects(ctx context.Context, in chan int) {
	select {
	case v := <-in:
		s.results <- v
	case s.errs <- nil:
	}
loop:
	select {
	case <-in:
		break loop
	default:
	}
	select {
	case v, ok := <-s.results:
		_, _ = v, ok
	case <-ctx.Done():
	}
	select {
	case <-s.source():
	case <-in:
	}
	select {
	case <-s. // a comment: not copied
			results:
	case <-in:
	}
	select {}
}

func Generic[C ~chan int](c C) { c <- 1 }

// worker's channels are in the classes its one caller passes.
func worker(jobs chan int, done chan<- bool) {
	for j := range jobs {
		_ = j
	}
	done <- true
}

// drain is also used as a value: its parameter keeps a class of its own.
func drain(c chan int) { <-c }

func (s *Server) Start() {
	done := make(chan bool)
	go worker(s.results, done)
	<-done
	f := drain
	f(s.results)
	drain(global)
}

// Timers: a Timer's or Ticker's C is the runtime's, so is the Done of a
// type with context.Context's methods.
func (s *Server) Timers(ctx myContext) {
	t := time.NewTimer(time.Second)
	tk := time.NewTicker(time.Second)
	<-tk.C
	select {
	case <-t.C:
	case v := <-s.results:
		_ = v
	}
	select {
	case <-ctx.Done():
	case <-s.results:
	}
}

type myContext struct{ context.Context }
