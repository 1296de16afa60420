//go:build !lockdep_off

package lockdep_test

import (
	"fmt"

	"github.com/golockdep/lockdep/lockdep"
)

// Two goroutines that take the same two locks in opposite orders can
// deadlock. The validator reports it as soon as both orders have been seen,
// even one after the other in a single goroutine, when nothing hangs.
func Example() {
	v := lockdep.MustNew(lockdep.Options{Handler: func(r *lockdep.Report) {
		fmt.Println(r.Kind, r.Classes)
	}})
	var accountsKey, ledgerKey lockdep.Key
	accounts := v.NewMap("accounts", &accountsKey)
	ledger := v.NewMap("ledger", &ledgerKey)

	// transfer: accounts, then ledger.
	accounts.Acquire(0, lockdep.Exclusive)
	ledger.Acquire(0, lockdep.Exclusive)
	ledger.Release()
	accounts.Release()

	// audit: ledger, then accounts.
	ledger.Acquire(0, lockdep.Exclusive)
	accounts.Acquire(0, lockdep.Exclusive)
	accounts.Release()
	ledger.Release()
	// Output:
	// circular [accounts ledger]
}

// A recursive reader may take a class it holds for reading again; a
// non-recursive reader (down_read) may not, because it would wait behind a
// queued writer.
func ExampleMode() {
	v := lockdep.MustNew(lockdep.Options{Handler: func(r *lockdep.Report) {
		fmt.Println(r.Kind, r.Classes)
	}})
	var rwlockKey, rwsemKey lockdep.Key
	rw1, rw2 := v.NewMap("tasklist", &rwlockKey), v.NewMap("tasklist", &rwlockKey)
	rw1.Acquire(0, lockdep.RecursiveRead)
	rw2.Acquire(0, lockdep.RecursiveRead) // fine
	rw2.Release()
	rw1.Release()

	sem1, sem2 := v.NewMap("mmap", &rwsemKey), v.NewMap("mmap", &rwsemKey)
	sem1.Acquire(0, lockdep.Shared)
	sem2.Acquire(0, lockdep.Shared) // reported
	sem2.Release()
	sem1.Release()
	// Output:
	// recursive [mmap]
}
