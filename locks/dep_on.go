//go:build !lockdep_off

package locks

import (
	"fmt"
	"sync/atomic"

	"github.com/golockdep/lockdep/lockdep"
)

func init() { lockdep.SkipPackage("github.com/golockdep/lockdep/locks") }

// depMap links a lock to its lockdep.Map. A lock created with a New
// function or Init has its Map from the start; a zero-value lock gets one,
// with a class of its own named after where it was first used, on its
// first operation.
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

func (d *depMap) lazy(kind string) *lockdep.Map {
	name := kind
	if f, ok := lockdep.Caller(); ok {
		name = fmt.Sprintf("%s@%s:%d", kind, lockdep.ShortFile(f.File), f.Line)
	}
	m := lockdep.NewMap(name, nil)
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

func (d *depMap) releaseUnheld(kind string, locked bool) { d.get(kind).ReleaseUnheld(locked) }

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
