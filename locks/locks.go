package locks

import "github.com/golockdep/lockdep/lockdep"

// Validated is any lock with a lockdep.Map: every type in this package, and
// a bare *lockdep.Map used as a pseudo-lock.
type Validated interface {
	LockdepMap() *lockdep.Map
}

// noCopy makes go vet's copylocks check flag copies of a lock.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// slow calls f, the contended path of an off-build lock whose fast path is
// written out: the inliner charges a call through a func value less than a
// direct call, so that the lock method still inlines.
func slow(f func()) { f() }
