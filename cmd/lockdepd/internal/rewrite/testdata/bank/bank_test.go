package bank

import (
	"os"
	"sync"
	"testing"
)

var testMu sync.Mutex

func TestMain(m *testing.M) {
	testMu.Lock()
	testMu.Unlock()
	code := m.Run()
	os.Exit(code)
}

func TestTransfer(t *testing.T) {
	Transfer(&Account{}, &Account{}, 1)
}
