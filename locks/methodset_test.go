package locks_test

import (
	"sync"

	"github.com/golockdep/lockdep/locks"
)

// The method sets every lock type shares: sync's Locker and TryLock, the
// validator's view, and the assertions. A type that loses one no longer
// compiles here.
type commonLock interface {
	sync.Locker
	TryLock() bool
	locks.Validated
	AssertHeld()
	AssertNotHeld()
}

// The reader/writer types add the read and write assertions.
type rwAsserts interface {
	commonLock
	AssertHeldRead()
	AssertHeldWrite()
}

var (
	_ commonLock = (*locks.Mutex)(nil)
	_ commonLock = (*locks.PageLock)(nil)
	_ rwAsserts  = (*locks.RWMutex)(nil)
	_ rwAsserts  = (*locks.RWSem)(nil)
	_ rwAsserts  = (*locks.RWLock)(nil)
)
