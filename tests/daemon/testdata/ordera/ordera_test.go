// Package ordera is a subject of the end-to-end tests: its tests take
// lock "accounts" and then "ledger". Run on its own it is clean; with
// package orderb, which takes them the other way round, lockdepd finds the
// cycle that neither process saw.
package ordera

import (
	"testing"

	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/tests/daemon/testdata/shared"
)

func TestMain(m *testing.M) { lockdeptest.VerifyTestMain(m) }

func TestTakeInOrder(t *testing.T) {
	shared.Take(shared.Accounts, shared.Ledger)
}
