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
