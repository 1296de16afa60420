// Package orderb is a subject of the end-to-end tests: its tests take
// lock "ledger" and then "accounts". Run on its own it is clean; with
// package ordera, which takes them the other way round, lockdepd finds the
// cycle that neither process saw.
package orderb

import (
	"testing"

	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/tests/daemon/testdata/shared"
)

func TestMain(m *testing.M) { lockdeptest.VerifyTestMain(m) }

func TestTakeInOrder(t *testing.T) {
	shared.Take(shared.Ledger, shared.Accounts)
}
