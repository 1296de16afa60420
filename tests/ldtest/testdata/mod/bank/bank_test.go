package bank

import "testing"

func TestDeposit(t *testing.T) {
	b, a := &Branch{}, &Account{}
	Deposit(b, a, 10)
	if a.balance != 10 {
		t.Fatal(a.balance)
	}
}

func TestAudit(t *testing.T) {
	a, b := &Account{}, &Branch{}
	if !Audit(a, b) {
		t.Fatal("audit")
	}
}
