// Package chanop validates channel operations: each function tells the
// validator about the operation (see lockdep.Chan: which operations are
// waits, which complete what) and then performs it on the real channel.
// The lockdepd test rewriter puts these calls in place of the channel
// operations of the code it validates; hand-written code may call them
// too, with a class marker type of its own:
//
//	type resultsClass struct{}
//
//	func (resultsClass) LockdepClass() string { return "server.results" }
//
//	chanop.Send[resultsClass](results, r)   // instead of results <- r
//	r := chanop.Recv[resultsClass](results) // instead of r := <-results
//
// Every channel of one class name is one class, in every test binary.
// Built with -tags lockdep_off, each function is the bare operation.
package chanop

import (
	"unsafe"

	"github.com/golockdep/lockdep/internal/plumbing"
	"github.com/golockdep/lockdep/lockdep"
)

// The validator's stacks start at the channel operation, not in here.
func init() { plumbing.SkipPackage("github.com/golockdep/lockdep/locks/chanop") }

// Class names a class of channels: a marker type whose LockdepClass
// returns the class name, such as "pkg.Server.results" for a field.
type Class interface{ LockdepClass() string }

// ld is the validator's calls that only this module makes.
var ld = plumbing.Get[*lockdep.Validator, *lockdep.Map, *lockdep.Event, *lockdep.Chan, lockdep.Mode]()

func classOf[K Class]() *lockdep.Chan {
	var k K
	return ld.DeclaredChan(k.LockdepClass())
}

// addr is the channel's identity: a channel value is a pointer.
func addr[T any](ch <-chan T) uintptr { return *(*uintptr)(unsafe.Pointer(&ch)) }

func saddr[T any](ch chan<- T) uintptr { return *(*uintptr)(unsafe.Pointer(&ch)) }

// Send performs ch <- v.
func Send[K Class, T any](ch chan<- T, v T) {
	if !lockdep.Enabled {
		ch <- v
		return
	}
	c := classOf[K]()
	c.Send(saddr(ch), cap(ch), len(ch))
	ch <- v
	c.EndWait()
}

// Recv performs <-ch.
func Recv[K Class, T any](ch <-chan T) T {
	v, _ := Recv2[K](ch)
	return v
}

// Recv2 performs v, ok := <-ch.
func Recv2[K Class, T any](ch <-chan T) (T, bool) {
	if !lockdep.Enabled {
		v, ok := <-ch
		return v, ok
	}
	c := classOf[K]()
	c.Recv(addr(ch), cap(ch))
	v, ok := <-ch
	c.EndWait()
	return v, ok
}

// Close performs close(ch).
func Close[K Class, T any](ch chan<- T) {
	if lockdep.Enabled {
		classOf[K]().Close()
	}
	close(ch)
}

// SendCase and RecvCase describe the cases of a select statement for
// Select.
func SendCase[K Class, T any](ch chan<- T) lockdep.SelectCase {
	if !lockdep.Enabled {
		return lockdep.SelectCase{}
	}
	return lockdep.SelectCase{C: classOf[K](), Ch: saddr(ch), Send: true, Cap: cap(ch), Len: len(ch)}
}

// RecvCase describes a receive case; see SendCase.
func RecvCase[K Class, T any](ch <-chan T) lockdep.SelectCase {
	if !lockdep.Enabled {
		return lockdep.SelectCase{}
	}
	return lockdep.SelectCase{C: classOf[K](), Ch: addr(ch)}
}

// Select is called just before a select statement with its channel cases;
// blocking is false when the select has a default case or a case on a
// timer or a context's Done channel (see lockdep.Select).
func Select(blocking bool, cases ...lockdep.SelectCase) {
	if lockdep.Enabled {
		lockdep.Select(blocking, cases...)
	}
}

// SelectTimed is called just before a select statement that has no
// default case but a case on a timer or a context's Done channel (see
// lockdep.SelectTimed): not a wait, but a place where the goroutine parks.
func SelectTimed(cases ...lockdep.SelectCase) {
	if lockdep.Enabled {
		lockdep.SelectTimed(cases...)
	}
}
