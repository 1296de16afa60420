package leaky

import (
	"testing"

	"example.com/ldbank/internal/leakcheck"
)

// TestMain hands m to a goleak-shaped helper that calls os.Exit.
func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m, "ignore-top") }

func TestForward(t *testing.T) { Forward() }

func TestBackward(t *testing.T) { Backward() }
