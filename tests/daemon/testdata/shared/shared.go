// Package shared holds the two locks the end-to-end subjects take, as a
// program linking both subject packages would.
package shared

import (
	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

var accountsKey, ledgerKey lockdep.Key

// The two locks, one class each.
var (
	Accounts = locks.NewMutex("accounts", &accountsKey)
	Ledger   = locks.NewMutex("ledger", &ledgerKey)
)

// Take locks first, then second, then unlocks both.
func Take(first, second *locks.Mutex) {
	first.Lock()
	second.Lock()
	second.Unlock()
	first.Unlock()
}
