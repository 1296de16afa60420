package lockdep

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"

	"github.com/petermattis/goid"
)

// The validator keys per-goroutine state on goroutine ids. The fast source
// is goid.Get, which reads the id out of the runtime's g structure at a
// fixed offset; that offset can move between Go releases. A wrong id would
// mix two goroutines' held locks and produce false reports, so at start-up
// the fast source is compared with the id printed by runtime.Stack in
// several goroutines. If they ever disagree the slow, always-correct source
// is used instead and one warning line is printed.

// goidFast is decided once, before any lock can be taken: package
// initialisation runs before main and before any other package's init
// that could lock a validated lock.
var goidFast bool

func init() {
	if Enabled { // the off build starts no goroutine at init
		checkGoid()
	}
}

// curGoid returns the calling goroutine's id. The two hottest callers,
// acquire and Release, spell it out instead (see ownTask), to save a call.
func curGoid() int64 {
	if goidFast {
		return goid.Get()
	}
	return slowGoid()
}

// slowGoid parses the id from the first line of runtime.Stack:
// "goroutine 123 [running]:".
//
//go:noinline
func slowGoid() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	return parseGoid(buf[:n])
}

func parseGoid(b []byte) int64 {
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return -1
	}
	return id
}

func checkGoid() {
	goidFast = goidAgrees()
	if !goidFast {
		fmt.Fprintln(os.Stderr, "lockdep: warning: fast goroutine id disagrees with runtime.Stack; using the slow path")
	}
}

// goidAgrees compares both sources in the calling goroutine and in a few
// fresh ones, so that an offset that happens to match once is not trusted.
func goidAgrees() bool {
	if goid.Get() != slowGoid() {
		return false
	}
	const n = 4
	results := make(chan bool, n)
	for i := 0; i < n; i++ {
		go func() { results <- goid.Get() == slowGoid() && goid.Get() > 0 }()
	}
	ok := true
	for i := 0; i < n; i++ {
		ok = <-results && ok
	}
	return ok
}
