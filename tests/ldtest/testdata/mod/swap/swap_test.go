package swap

import (
	"testing"

	"example.com/ldbank/internal/testmain"
)

// TestMain hands m to a helper package that calls os.Exit.
func TestMain(m *testing.M) { testmain.Main(m) }

func TestSwapBack(t *testing.T) {
	x, y := &Cell{v: 1}, &Cell{v: 2}
	Swap(x, y)
	Swap(y, x)
	if x.v != 1 || y.v != 2 {
		t.Fatal(x.v, y.v)
	}
}
