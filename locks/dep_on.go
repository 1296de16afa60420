//go:build !lockdep_off

package locks

import (
	"sync/atomic"

	"github.com/golockdep/lockdep/internal/plumbing"
	"github.com/golockdep/lockdep/lockdep"
)

func init() { plumbing.SkipPackage("github.com/golockdep/lockdep/locks") }

// depMap links a lock of kind K to its lockdep.Map, and is the template
// every lock method is written with: a blocking acquisition is acquire,
// the lock's own fast path, and contended when that fails; a trylock ends
// in tried; a release is release, the lock's own unlock, and unlockUnheld
// when the validator does not see the caller hold it; a hand-over is
// unlockNonOwner. A lock created with a New function or Init has its Map
// from the start; a zero-value lock gets one on its first operation, in
// the class of the site of that operation (lockdep's site.go).
type depMap[K lockKind] struct {
	p atomic.Pointer[lockdep.Map]
}

func (d *depMap[K]) init(v *lockdep.Validator, name string, key *lockdep.Key) {
	if v == nil {
		d.p.Store(lockdep.NewMap(name, key))
		return
	}
	d.p.Store(v.NewMap(name, key))
}

// get returns the lock's Map, made on a zero-value lock's first use.
// acquire and release, the hot paths, write it out: as a generic method it
// is just over the inliner's budget, and a call more per operation showed
// in the benchmarks.
func (d *depMap[K]) get() *lockdep.Map {
	m := d.p.Load()
	if m == nil {
		m = d.lazy()
	}
	return m
}

// made returns the lock's Map, or nil if a zero-value lock has none yet:
// for hot paths that call the Map's own methods directly, to save the
// template's frame.
func (d *depMap[K]) made() *lockdep.Map { return d.p.Load() }

//go:noinline
func (d *depMap[K]) lazy() *lockdep.Map {
	var k K
	m := ld.NewSiteMap(k.kindName())
	if d.p.CompareAndSwap(nil, m) {
		return m
	}
	return d.p.Load()
}

func (d *depMap[K]) lockdepMap() *lockdep.Map { return d.get() }

// acquire validates a blocking acquisition before the lock's fast path is
// tried, so that a possible deadlock is reported even when this run does
// not hang. nest is the outer lock of a nest_lock acquisition, or nil.
//
// The fast path itself stays in the lock's method, between acquire and
// contended, as a direct call: passed in as a func value it cost every
// acquisition an indirect call and a frame (measured with bench/run).
func (d *depMap[K]) acquire(sub int, mode lockdep.Mode, nest *lockdep.Map) {
	m := d.p.Load() // get, written out
	if m == nil {
		m = d.lazy()
	}
	if nest == nil {
		m.Acquire(sub, mode)
	} else {
		ld.AcquireNest(m, sub, mode, nest)
	}
}

// contended blocks in wait for a lock whose fast path failed, telling the
// validator that the goroutine waits (dumps show it) and, with statistics
// on, for how long.
func (d *depMap[K]) contended(mode lockdep.Mode, wait func()) {
	m := d.get()
	start := ld.Wait(m)
	wait()
	ld.Granted(m, mode, start)
}

// tried ends every trylock: a successful one (ok) is recorded, and adds no
// dependency of its own. It returns ok.
func (d *depMap[K]) tried(ok bool, mode lockdep.Mode) bool {
	if ok {
		d.get().AcquireTry(0, mode)
	}
	return ok
}

// release records a release by the calling goroutine and reports whether
// it held the lock; if not, the lock's method calls unlockUnheld (or, for
// RWMutex, probes package sync's state itself).
func (d *depMap[K]) release() bool {
	m := d.p.Load() // get, written out
	if m == nil {
		m = d.lazy()
	}
	return m.Release()
}

// unlockUnheld ends the release of a lock that the calling goroutine does
// not hold: a legal unlock under Go's rules if the lock is locked (locked
// tells), a double unlock reported and left alone otherwise.
func (d *depMap[K]) unlockUnheld(mode lockdep.Mode, locked func() bool, unlock func()) {
	d.releaseGuarded(mode, false, locked, unlock)
}

// unlockNonOwner is every deliberate hand-over release: never reported,
// except an unlock of a lock that is not locked at all, which is left alone.
func (d *depMap[K]) unlockNonOwner(mode lockdep.Mode, locked func() bool, unlock func()) {
	d.releaseGuarded(mode, true, locked, unlock)
}

// releaseGuarded is both, under the lock's foreign-unlock guard, so that
// two such releases of one lock cannot both find it locked.
func (d *depMap[K]) releaseGuarded(mode lockdep.Mode, handOver bool, locked func() bool, unlock func()) {
	g := d.guard()
	g.Lock()
	defer g.Unlock()
	m := d.get()
	switch {
	case !locked():
		ld.ReleaseUnlocked(m, mode)
		return
	case handOver:
		ld.ReleaseNonOwner(m)
	default:
		ld.ReleaseForeign(m, mode)
	}
	unlock()
}

// Single calls for the paths the template does not cover: a release found
// to be of an unlocked lock, a foreign release, a downgrade.

func (d *depMap[K]) releaseUnlocked(mode lockdep.Mode) { ld.ReleaseUnlocked(d.get(), mode) }

func (d *depMap[K]) releaseForeign(mode lockdep.Mode) bool { return ld.ReleaseForeign(d.get(), mode) }

// downgrade records a downgrade of the caller's write hold; a caller that
// does not hold the lock for writing is reported by the validator.
func (d *depMap[K]) downgrade() { ld.Downgrade(d.get()) }
