//go:build lockdep_off

package locks

import "github.com/golockdep/lockdep/lockdep"

// depMap is empty when the validator is compiled out, and the lock types
// are the size of what they wrap. The lock methods do not call it in this
// build (they branch on lockdep.Enabled first); its methods still do the
// lock's own work where there is any, so that a missing branch would cost
// speed, not correctness.
type depMap[K lockKind] struct{}

func (d *depMap[K]) init(*lockdep.Validator, string, *lockdep.Key) {}
func (d *depMap[K]) lockdepMap() *lockdep.Map                      { return nil }
func (d *depMap[K]) made() *lockdep.Map                            { return nil }

func (d *depMap[K]) acquire(int, lockdep.Mode, *lockdep.Map) {}
func (d *depMap[K]) contended(_ lockdep.Mode, wait func())   { wait() }

func (d *depMap[K]) tried(ok bool, _ lockdep.Mode) bool { return ok }

func (d *depMap[K]) release() bool { return true }

func (d *depMap[K]) unlockUnheld(_ lockdep.Mode, _ func() bool, unlock func())   { unlock() }
func (d *depMap[K]) unlockNonOwner(_ lockdep.Mode, _ func() bool, unlock func()) { unlock() }

func (d *depMap[K]) releaseUnlocked(lockdep.Mode)     {}
func (d *depMap[K]) releaseForeign(lockdep.Mode) bool { return true }
func (d *depMap[K]) downgrade()                       {}
