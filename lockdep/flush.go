package lockdep

import (
	"errors"

	"github.com/golockdep/lockdep/internal/plumbing"
)

// Uploading a process's graph to the lockdepd daemon is done by package
// reports/upload, which package lockdep must not import (the validator
// depends on nothing above it). The uploader registers itself with package
// internal/plumbing when it is linked in; Flush calls it.

// ErrNoFlusher is returned by Flush when no uploader is linked into the
// program.
var ErrNoFlusher = errors.New("lockdep: no uploader linked in (import github.com/golockdep/lockdep/reports/upload)")

// Flush sends the default validator's graph to the daemon named by the
// LOCKDEP_DAEMON environment variable, through the uploader linked into
// the program. With LOCKDEP_DAEMON unset the uploader does nothing.
func Flush() error { return std.Flush() }

// Flush sends v's graph; see the package-level Flush.
func (v *Validator) Flush() error {
	f := plumbing.Flusher[*Validator]()
	if f == nil {
		return ErrNoFlusher
	}
	return f(v)
}
