//go:build lockdep_off

package locks

import (
	"sync"

	"github.com/golockdep/lockdep/lockdep"
)

// depMap is empty when the validator is compiled out: every method is a
// no-op the compiler inlines away, and the lock types are the size of what
// they wrap.
type depMap struct{}

func (d *depMap) init(*lockdep.Validator, string, *lockdep.Key)       {}
func (d *depMap) acquire(string, int, lockdep.Mode)                   {}
func (d *depMap) acquireNest(string, int, lockdep.Mode, *lockdep.Map) {}
func (d *depMap) acquireTry(string, lockdep.Mode)                     {}
func (d *depMap) release(string) bool                                 { return true }
func (d *depMap) releaseForeign(string, lockdep.Mode) bool            { return true }
func (d *depMap) releaseUnlocked(string, lockdep.Mode)                {}
func (d *depMap) releaseNonOwner(string)                              {}
func (d *depMap) downgrade(string)                                    {}
func (d *depMap) lockdepMap(string) *lockdep.Map                      { return nil }

func (d *depMap) wait(_ string, _ lockdep.Mode, lock func()) { lock() }

func (d *depMap) unlockUnheld(_ string, _ lockdep.Mode, _ func() bool, unlock func()) { unlock() }

// offGuard stands in for the foreign-unlock guards, which this build never
// takes.
var offGuard sync.Mutex

func (d *depMap) guard() *sync.Mutex { return &offGuard }
