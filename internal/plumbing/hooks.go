package plumbing

import "sync/atomic"

// Hooks are the validator's calls that only this module's packages make.
// Package lockdep sets them with V = *lockdep.Validator, M = *lockdep.Map,
// E = *lockdep.Event, C = *lockdep.Chan and Mode = lockdep.Mode.
type Hooks[V, M, E, C any, Mode ~uint8] struct {
	// Default returns the default validator, for the packages that
	// upload or check its whole graph (lockdeptest).
	Default func() V

	// NewSiteMap returns a Map in the class of the site of its first
	// use (a zero-value lock); NewDeclaredMap one in the declared class
	// name ("lockdepd test"'s rewritten locks). kind names the lock type.
	NewSiteMap     func(kind string) M
	NewDeclaredMap func(name, kind string) M
	// NewSiteEvent is NewSiteMap for a WaitGroup's or Cond's event;
	// DeclaredChan returns the channel class of a declaration.
	NewSiteEvent func(kind string) E
	DeclaredChan func(name string) C

	// AcquireNest is m.Acquire under the outer lock nest (nest_lock).
	AcquireNest func(m M, sub int, mode Mode, nest M)
	// Wait and Granted bracket a contended acquisition's sleep.
	Wait    func(m M) (start int64)
	Granted func(m M, mode Mode, start int64)

	// The releases of a lock by a goroutine the validator does not see
	// holding it: ReleaseForeign for a lock another goroutine holds
	// (false if none holds it in mode), ReleaseUnlocked for one that is
	// not locked (a report), ReleaseNonOwner for a hand-over.
	ReleaseForeign  func(m M, mode Mode) bool
	ReleaseUnlocked func(m M, mode Mode)
	ReleaseNonOwner func(m M)
	// WriteHeldByOther reports whether another goroutine holds m for
	// writing; Downgrade turns the caller's write hold into a read hold
	// (false, with a report, if it has none).
	WriteHeldByOther func(m M) bool
	Downgrade        func(m M) bool
}

var hooks any // a *Hooks of lockdep's types

// Set installs package lockdep's hooks; lockdep's init calls it, before
// any package that imports lockdep is initialised.
func Set[V, M, E, C any, Mode ~uint8](h *Hooks[V, M, E, C, Mode]) { hooks = h }

// Get returns the hooks lockdep installed. The type arguments must be
// lockdep's, or Get panics at the caller's initialisation.
func Get[V, M, E, C any, Mode ~uint8]() *Hooks[V, M, E, C, Mode] {
	return hooks.(*Hooks[V, M, E, C, Mode])
}

var flusher atomic.Value // func(V) error

// SetFlusher installs the function lockdep.Flush calls; package
// reports/upload calls it from its init function, when it is linked in.
func SetFlusher[V any](f func(V) error) { flusher.Store(f) }

// Flusher returns the function SetFlusher installed, or nil.
func Flusher[V any]() func(V) error {
	f, _ := flusher.Load().(func(V) error)
	return f
}
