package lockdep

import (
	"errors"
	"sync"
)

// Uploading a process's graph to the lockdepd daemon is done by package
// reports/upload, which package lockdep must not import (the validator
// depends on nothing above it). The uploader registers itself here when it
// is linked in; Flush calls it.

var (
	flusherMu sync.Mutex
	flusher   func(*Validator) error
)

// ErrNoFlusher is returned by Flush when no uploader is linked into the
// program.
var ErrNoFlusher = errors.New("lockdep: no uploader linked in (import github.com/golockdep/lockdep/reports/upload)")

// SetFlusher installs the function Flush calls. Package reports/upload
// calls it from its init function.
func SetFlusher(f func(*Validator) error) {
	flusherMu.Lock()
	flusher = f
	flusherMu.Unlock()
}

// Flush sends the default validator's graph to the daemon named by the
// LOCKDEP_DAEMON environment variable, through the uploader linked into
// the program. With LOCKDEP_DAEMON unset the uploader does nothing.
func Flush() error { return Default.Flush() }

// Flush sends v's graph; see the package-level Flush.
func (v *Validator) Flush() error {
	flusherMu.Lock()
	f := flusher
	flusherMu.Unlock()
	if f == nil {
		return ErrNoFlusher
	}
	return f(v)
}
