//go:build !lockdep_off

package locks

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/golockdep/lockdep/lockdep"
)

func init() { lockdep.SkipPackage("github.com/golockdep/lockdep/locks") }

// depMap links a lock to its lockdep.Map. A lock created with a New
// function or Init has its Map from the start; a zero-value lock gets one
// on its first operation, in the class of the site of that operation (see
// lockdep.NewSiteMap).
type depMap struct {
	p atomic.Pointer[lockdep.Map]
}

func (d *depMap) init(v *lockdep.Validator, name string, key *lockdep.Key) {
	if v == nil {
		v = lockdep.Default
	}
	d.p.Store(v.NewMap(name, key))
}

func (d *depMap) get(kind string) *lockdep.Map {
	if m := d.p.Load(); m != nil {
		return m
	}
	return d.lazy(kind)
}

//go:noinline
func (d *depMap) lazy(kind string) *lockdep.Map {
	m := lockdep.NewSiteMap(kind)
	if d.p.CompareAndSwap(nil, m) {
		return m
	}
	return d.p.Load()
}

func (d *depMap) acquire(kind string, sub int, mode lockdep.Mode) {
	d.get(kind).Acquire(sub, mode)
}

func (d *depMap) acquireNest(kind string, sub int, mode lockdep.Mode, nest *lockdep.Map) {
	d.get(kind).AcquireNest(sub, mode, nest)
}

func (d *depMap) acquireTry(kind string, mode lockdep.Mode) {
	d.get(kind).AcquireTry(0, mode)
}

func (d *depMap) release(kind string) bool { return d.get(kind).Release() }

func (d *depMap) releaseForeign(kind string, mode lockdep.Mode) bool {
	return d.get(kind).ReleaseForeign(mode)
}

func (d *depMap) releaseUnlocked(kind string, mode lockdep.Mode) { d.get(kind).ReleaseUnlocked(mode) }

// foreignGuards serialise the releases of locks by goroutines that do not
// hold them, per lock (striped by address): two such unlocks of one lock
// at once must not both find it locked, or the second would crash in
// package sync.
var foreignGuards [64]struct {
	sync.Mutex
	_ [56]byte
}

func (d *depMap) guard() *sync.Mutex {
	a := uintptr(unsafe.Pointer(d))
	return &foreignGuards[(a>>4^a>>10)%guardCount].Mutex
}

const guardCount = uintptr(len(foreignGuards))

// unlockUnheld ends the release of a lock that the calling goroutine does
// not hold: a legal unlock under Go's rules if the lock is locked (locked
// tells), a double unlock reported and left alone otherwise.
func (d *depMap) unlockUnheld(kind string, mode lockdep.Mode, locked func() bool, unlock func()) {
	g := d.guard()
	g.Lock()
	defer g.Unlock()
	if !locked() {
		d.releaseUnlocked(kind, mode)
		return
	}
	d.releaseForeign(kind, mode)
	unlock()
}
func (d *depMap) releaseNonOwner(kind string) { d.get(kind).ReleaseNonOwner() }

func (d *depMap) downgrade(kind string) { d.get(kind).Downgrade() }

func (d *depMap) lockdepMap(kind string) *lockdep.Map { return d.get(kind) }

// wait blocks in lock for a contended lock, telling the validator that the
// goroutine is waiting (dumps show it) and, with statistics on, for how
// long. The uncontended path never gets here.
func (d *depMap) wait(kind string, mode lockdep.Mode, lock func()) {
	m := d.get(kind)
	start := m.Wait()
	lock()
	m.Granted(mode, start)
}
