//go:build lockdep_off

package locks

import "github.com/golockdep/lockdep/lockdep"

// depMap is empty when the validator is compiled out: the template's
// methods only do the lock's own work, the compiler inlines them away, and
// the lock types are the size of what they wrap.
type depMap[K lockKind] struct{}

func (d *depMap[K]) init(*lockdep.Validator, string, *lockdep.Key) {}
func (d *depMap[K]) lockdepMap() *lockdep.Map                      { return nil }

func (d *depMap[K]) lock(_ int, _ lockdep.Mode, _ *lockdep.Map, _ func() bool, wait func()) {
	wait()
}

func (d *depMap[K]) acquire(lockdep.Mode)               {}
func (d *depMap[K]) tried(ok bool, _ lockdep.Mode) bool { return ok }

func (d *depMap[K]) unlock(_ lockdep.Mode, _ func() bool, unlock func()) { unlock() }
func (d *depMap[K]) release() bool                                       { return true }

func (d *depMap[K]) unlockUnheld(_ lockdep.Mode, _ func() bool, unlock func())   { unlock() }
func (d *depMap[K]) unlockNonOwner(_ lockdep.Mode, _ func() bool, unlock func()) { unlock() }

func (d *depMap[K]) releaseUnlocked(lockdep.Mode)     {}
func (d *depMap[K]) releaseForeign(lockdep.Mode) bool { return true }
func (d *depMap[K]) downgrade()                       {}
