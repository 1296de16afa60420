// Package forms uses every form of channel operation that lockdepd test
// rewrites, and WaitGroup, Once and Cond in the ways it rewrites them;
// its tests check that the rewritten program computes what the original
// does, and none of it is a deadlock.
package forms

import (
	"bytes"
	"context"
	"io"
	"sync"
	"time"
)

// Ranges sums in's values with range loops of every form: it must return
// what the same loops over a slice return.
func Ranges(vals []int) (sum int, captured []func() int) {
	in := fill(vals)
	for v := range in {
		v := v * 2 // the body may declare v again
		if v == 4 {
			continue
		}
		captured = append(captured, func() int { return v })
		sum += v
	}
	in = fill(vals)
	n := 0
outer:
	for range in {
		for {
			n++
			if n == 3 {
				break outer
			}
			break
		}
	}
	sum += 100 * n
	var st struct{ last int }
	for st.last = range fill(vals) {
		sum += st.last
	}
	return sum, captured
}

// Queue is a channel type of the package's own.
type Queue chan int

func fill(vals []int) Queue {
	q := make(Queue, len(vals))
	for _, v := range vals {
		q <- v
	}
	close(q)
	return q
}

// Recvs receives in the comma-ok forms, from a channel of channels and
// through directional types.
func Recvs() (got []int, oks []bool) {
	ch := make(chan int, 2)
	ch <- 7
	var send chan<- int = ch
	send <- 8
	close(ch)
	v, ok := <-ch
	got, oks = append(got, v), append(oks, ok)
	var w, ok2 = <-ch
	got, oks = append(got, w), append(oks, ok2)
	var recv <-chan int = ch
	v, ok = <-recv
	got, oks = append(got, v), append(oks, ok)
	chch := make(chan chan int, 1)
	inner := make(chan int, 1)
	chch <- inner
	(<-chch) <- 9
	chch <- inner
	got = append(got, <-<-chch)
	return got, oks
}

// fault is an error type: sending it into a chan error needs the
// element type written out.
type fault struct{ msg string }

func (f *fault) Error() string { return f.msg }

// Sends sends values whose type is not the element type.
func Sends() string {
	errs := make(chan error, 1)
	errs <- &fault{"boom"}
	ws := make(chan io.Writer, 1)
	ws <- &bytes.Buffer{}
	w := <-ws
	io.WriteString(w, "x")
	anys := make(chan any, 1)
	anys <- 3
	return (<-errs).Error() + w.(*bytes.Buffer).String() + string(rune('0'+(<-anys).(int)))
}

type pipes struct {
	lanes [2]chan int
	quit  chan struct{}
}

// Selects runs select statements of every form.
func Selects(ctx context.Context) []string {
	var out []string
	p := &pipes{quit: make(chan struct{})}
	p.lanes[0], p.lanes[1] = make(chan int, 1), make(chan int, 1)
	p.lanes[1] <- 5
	select {
	case v := <-p.lanes[0]:
		out = append(out, "lane0", string(rune('0'+v)))
	case v, ok := <-p.lanes[1]:
		if ok {
			out = append(out, "lane1", string(rune('0'+v)))
		}
	}
	var never chan int
loop:
	for i := 0; ; i++ {
		select {
		case <-never:
		case p.lanes[0] <- i:
			if i == 1 {
				break loop
			}
			<-p.lanes[0]
		default:
			out = append(out, "default")
		}
	}
	out = append(out, "drained")
	select {
	case <-p.lanes[0]:
		out = append(out, "got")
	case <-ctx.Done():
	case <-time.After(time.Minute):
	}
	select {
	case <-p.source():
		out = append(out, "source")
	default:
	}
	<-time.After(time.Microsecond)
	return out
}

func (p *pipes) source() chan struct{} {
	close(p.quit)
	return p.quit
}

// Relay passes values through a generic pipeline.
func Relay[T any](vals []T) []T {
	in, out := make(chan T), make(chan T)
	go func() {
		defer close(in)
		for _, v := range vals {
			in <- v
		}
	}()
	go forward(in, out)
	var got []T
	for v := range out {
		got = append(got, v)
	}
	return got
}

func forward[T any](in <-chan T, out chan<- T) {
	for v := range in {
		out <- v
	}
	close(out)
}

// Group uses WaitGroup embedded, Once in a field and a Cond made from a
// literal.
type Group struct {
	sync.WaitGroup
	once  sync.Once
	mu    sync.Mutex
	cond  sync.Cond
	count int
}

func Count(n int) int {
	g := &Group{}
	g.cond = sync.Cond{L: &g.mu}
	for i := 0; i < n; i++ {
		g.Add(1)
		go func() {
			defer g.Done()
			g.once.Do(func() {})
			g.mu.Lock()
			g.count++
			g.cond.Broadcast()
			g.mu.Unlock()
		}()
	}
	g.mu.Lock()
	for g.count < n {
		g.cond.Wait()
	}
	g.mu.Unlock()
	g.Wait()
	return g.count
}
