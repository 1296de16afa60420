package user

import (
	"testing"

	"example.com/helper/onlyon"
)

// TestMain hands m to the helper, which calls os.Exit.
func TestMain(m *testing.M) { onlyon.Main(m) }

func TestTouch(t *testing.T) { Touch() }
