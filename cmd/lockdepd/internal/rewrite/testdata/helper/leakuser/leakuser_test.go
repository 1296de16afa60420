package leakuser

import (
	"testing"

	"example.com/helper/leak"
)

// TestMain hands m to a helper that takes it as an interface.
func TestMain(m *testing.M) { leak.VerifyTestMain(m, "ignore") }

func TestTouch(t *testing.T) { Touch() }
