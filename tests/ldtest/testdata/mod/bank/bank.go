// Package bank nests the locks of two types in opposite orders in two
// functions. Each test runs one of them once, on objects of its own: no
// pair of objects is ever nested both ways, and no run can deadlock, but
// two goroutines running both functions on one branch and one account
// can.
package bank

import "sync"

type Account struct {
	mu      sync.Mutex
	balance int
}

type Branch struct {
	mu    sync.Mutex
	total int
}

// Deposit locks the branch, then the account.
func Deposit(b *Branch, a *Account, n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += n
	b.total += n
}

// Audit locks the account, then the branch: the opposite order.
func Audit(a *Account, b *Branch) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	return a.balance <= b.total
}
