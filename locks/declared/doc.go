// Package declared holds the lock types that "lockdepd test" substitutes
// for sync.Mutex and sync.RWMutex in the copies of a program it builds:
// Mutex[K] and RWMutex[K] have exactly the methods of their package sync
// twins, and put every lock in the class of its declaration, named by the
// marker type K ("bank.Account.mu", "bank.Table.rows[]", "bank.Transfer.mu").
//
// The types are named Mutex and RWMutex so that an embedded field keeps its
// name: a struct that embeds sync.Mutex embeds declared.Mutex[K] after the
// rewrite, and t.Mutex.Lock() still compiles. A lock takes its class on its
// first use (a compare-and-swap, as a zero-value locks.Mutex does); before
// that it is an unlocked zero value, so composite literals, new(T) and
// embedding work as with package sync.
//
// Code never names these types itself: the rewrite generates the markers
//
//	type lockdepK_1f2e3d4c5b6a struct{}
//
//	func (lockdepK_1f2e3d4c5b6a) LockdepClass() string { return "bank.Account.mu" }
//
// and turns &a.mu, where a pointer is wanted, into MutexPtr(&a.mu), the
// *locks.Mutex inside, already in its class. An allocation site such as
// m.locks[k] = new(sync.Mutex) becomes NewMutex[K](), a *locks.Mutex in the
// class of the place it is stored ("bank.Table.locks[]").
package declared

import (
	"github.com/golockdep/lockdep/internal/plumbing"
	"github.com/golockdep/lockdep/locks"
)

func init() { plumbing.SkipPackage("github.com/golockdep/lockdep/locks/declared") }

// Class is what a marker type implements: LockdepClass returns the name of
// the declaration's class, a constant.
type Class = locks.DeclaredClass
