package cache

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/golockdep/lockdep/lockdep"
)

// Task is the model's task_struct: the process (mm) a goroutine runs
// operations for, and per-task state some designs need.
type Task struct {
	Name string
	MM   *MM
	W    *World
	// PagecacheBlocked is the mapping whose pagecache lock this task holds
	// in the block state (bcachefs's faults_disabled_mapping), for designs
	// that detect the recursion.
	PagecacheBlocked *Mapping

	nofs int // memalloc_nofs_save depth (reclaim.go); used by this task only
}

// NewTask returns a task of process mm.
func NewTask(w *World, name string, mm *MM) *Task { return &Task{Name: name, MM: mm, W: w} }

// Abort is the panic value that stops an operation at an acquisition that
// can only deadlock (see AbortOnSelfDeadlock).
type Abort struct{ Report *lockdep.Report }

func (a *Abort) Error() string { return "aborted: " + a.Report.Kind.String() }

// AbortOnSelfDeadlock is for a report handler. A recursive acquisition of
// a lock instance the goroutine already holds cannot succeed: the
// goroutine would wait for itself forever, as the kernel does after
// printing the same report. Rather than hang, the handler calls this: it
// undoes the validator's record of the acquisition that is about to block
// and panics with *Abort, which Op recovers; the operation's deferred
// unlocks release what it held. Other reports return normally.
//
// Circular counts too: with an instance order on the key, the validator
// lets the order exempt the class match and reports re-taking an instance
// held under another subclass as a cycle between the two subclasses.
func (w *World) AbortOnSelfDeadlock(r *lockdep.Report) {
	if (r.Kind != lockdep.Recursive && r.Kind != lockdep.Circular) || r.Lock == nil {
		return
	}
	held := false
	for _, h := range r.HeldLocks {
		if h.Instance == r.Lock.Instance {
			held = true
		}
	}
	if !held {
		return
	}
	if m := w.Lookup(r.Lock.Instance); m != nil {
		m.Release()
	}
	panic(&Abort{Report: r})
}

// Op is an operation running in its own goroutine.
type Op struct {
	Name    string
	done    chan struct{}
	goid    chan int64
	id      int64
	Err     error
	Aborted *Abort
}

// Run runs one operation in the calling goroutine. A panic with *Abort
// ends it and is returned as the error, after OnAbort has run; any other
// panic is re-raised. While it runs, the oracle keeps every state of a
// page that the operation's reads may return.
func (w *World) Run(f func() error) (err error) {
	defer w.Sched.tick()
	defer w.Oracle.opEnd(w.Oracle.opStart())
	defer func() {
		if p := recover(); p != nil {
			a, ok := p.(*Abort)
			if !ok {
				panic(p)
			}
			w.aborts.Add(1)
			if w.OnAbort != nil {
				w.OnAbort(a)
			}
			err = a
		}
	}()
	return f()
}

// Aborts returns how many operations were aborted.
func (w *World) Aborts() int64 { return w.aborts.Load() }

// Go runs f in a new goroutine, as Run does.
func (w *World) Go(name string, f func() error) *Op {
	op := &Op{Name: name, done: make(chan struct{}), goid: make(chan int64, 1)}
	go func() {
		op.goid <- curGoroutineID()
		defer close(op.done)
		op.Err = w.Run(f)
		if a, ok := op.Err.(*Abort); ok {
			op.Aborted = a
		}
	}()
	op.id = <-op.goid
	return op
}

// Done is closed when the operation has returned.
func (op *Op) Done() <-chan struct{} { return op.done }

// Wait waits for the operation and returns its error.
func (op *Op) Wait() error {
	<-op.done
	return op.Err
}

// WaitDoneOrBlocked waits until the operation has returned or its
// goroutine is asleep on a lock or a pause point (seen asleep twice in a
// row, so a passing contention does not count). It returns true if done.
// Scenarios use it to let a racing operation run as far as the design
// lets it before they close a race window.
func (op *Op) WaitDoneOrBlocked() bool {
	asleep := 0
	for {
		select {
		case <-op.done:
			return true
		default:
		}
		if goroutineAsleep(op.id) {
			asleep++
			if asleep >= 3 {
				return false
			}
		} else {
			asleep = 0
		}
		select {
		case <-op.done:
			return true
		case <-time.After(200 * time.Microsecond):
		}
	}
}

func curGoroutineID() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	f := strings.Fields(string(buf[:n]))
	if len(f) < 2 {
		return 0
	}
	id, _ := strconv.ParseInt(f[1], 10, 64)
	return id
}

// goroutineAsleep reports whether goroutine id is waiting on a condition
// variable (every model lock sleeps on one) or a channel (pause points).
func goroutineAsleep(id int64) bool {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	hdr := []byte(fmt.Sprintf("goroutine %d [", id))
	i := bytes.Index(buf, hdr)
	if i < 0 {
		return false
	}
	rest := buf[i+len(hdr):]
	j := bytes.IndexByte(rest, ']')
	if j < 0 {
		return false
	}
	st := string(rest[:j])
	return strings.HasPrefix(st, "sync.Cond.Wait") || strings.HasPrefix(st, "chan receive") || strings.HasPrefix(st, "select")
}
