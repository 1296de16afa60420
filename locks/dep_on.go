//go:build !lockdep_off

package locks

import (
	"sync/atomic"

	"github.com/golockdep/lockdep/lockdep"
)

func init() { lockdep.SkipPackage("github.com/golockdep/lockdep/locks") }

// depMap links a lock of kind K to its lockdep.Map, and is the template
// every lock type's methods are written with (see template.go). A lock
// created with a New function or Init has its Map from the start; a
// zero-value lock gets one on its first operation, in the class of the
// site of that operation (see lockdep.NewSiteMap).
type depMap[K lockKind] struct {
	p atomic.Pointer[lockdep.Map]
}

func (d *depMap[K]) init(v *lockdep.Validator, name string, key *lockdep.Key) {
	if v == nil {
		v = lockdep.Default
	}
	d.p.Store(v.NewMap(name, key))
}

func (d *depMap[K]) get() *lockdep.Map {
	if m := d.p.Load(); m != nil {
		return m
	}
	return d.lazy()
}

//go:noinline
func (d *depMap[K]) lazy() *lockdep.Map {
	var k K
	m := lockdep.NewSiteMap(k.kindName())
	if d.p.CompareAndSwap(nil, m) {
		return m
	}
	return d.p.Load()
}

func (d *depMap[K]) lockdepMap() *lockdep.Map { return d.get() }

// lock is every blocking acquisition: validated first, so that a possible
// deadlock is reported even when this run does not hang; then the fast
// path try; then, contended, wait, with the validator told that the
// goroutine waits (dumps show it) and, with statistics on, for how long.
// nest is the outer lock of a nest_lock acquisition, or nil.
func (d *depMap[K]) lock(sub int, mode lockdep.Mode, nest *lockdep.Map, try func() bool, wait func()) {
	m := d.get()
	m.AcquireNest(sub, mode, nest)
	if try() {
		return
	}
	start := m.Wait()
	wait()
	m.Granted(mode, start)
}

// acquire records an acquisition that does not block here (a pseudo-lock
// such as Once's).
func (d *depMap[K]) acquire(mode lockdep.Mode) { d.get().Acquire(0, mode) }

// tried ends every trylock: a successful one (ok) is recorded, and adds no
// dependency of its own. It returns ok.
func (d *depMap[K]) tried(ok bool, mode lockdep.Mode) bool {
	if ok {
		d.get().AcquireTry(0, mode)
	}
	return ok
}

// unlock is every release but RWMutex's (which probes package sync's
// state its own way): when the validator sees the calling goroutine hold
// the lock, unlock; otherwise see unlockUnheld.
func (d *depMap[K]) unlock(mode lockdep.Mode, locked func() bool, unlock func()) {
	if d.get().Release() {
		unlock()
		return
	}
	d.unlockUnheld(mode, locked, unlock)
}

// release records a release by the calling goroutine and reports whether
// it held the lock; for RWMutex, which decides the other case itself.
func (d *depMap[K]) release() bool { return d.get().Release() }

// unlockUnheld ends the release of a lock that the calling goroutine does
// not hold: a legal unlock under Go's rules if the lock is locked (locked
// tells), a double unlock reported and left alone otherwise.
func (d *depMap[K]) unlockUnheld(mode lockdep.Mode, locked func() bool, unlock func()) {
	g := d.guard()
	g.Lock()
	defer g.Unlock()
	if !locked() {
		d.get().ReleaseUnlocked(mode)
		return
	}
	d.get().ReleaseForeign(mode)
	unlock()
}

// unlockNonOwner is every deliberate hand-over release: never reported,
// except an unlock of a lock that is not locked at all, which is left alone.
func (d *depMap[K]) unlockNonOwner(mode lockdep.Mode, locked func() bool, unlock func()) {
	g := d.guard()
	g.Lock()
	defer g.Unlock()
	if !locked() {
		d.get().ReleaseUnlocked(mode)
		return
	}
	d.get().ReleaseNonOwner()
	unlock()
}

// Single calls for the paths the template does not cover: a release found
// to be of an unlocked lock, a foreign release, a downgrade.

func (d *depMap[K]) releaseUnlocked(mode lockdep.Mode) { d.get().ReleaseUnlocked(mode) }

func (d *depMap[K]) releaseForeign(mode lockdep.Mode) bool { return d.get().ReleaseForeign(mode) }

// downgrade records a downgrade of the caller's write hold; a caller that
// does not hold the lock for writing is reported by the validator.
func (d *depMap[K]) downgrade() { d.get().Downgrade() }
