package lockdeptest_test

import (
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/stretchr/testify/require"
)

// TestPrivate: an ABBA on a private validator is reported to its own
// Recorder only; another private validator, and the default one, see
// nothing. The test runs in parallel with the others for that reason.
func TestPrivate(t *testing.T) {
	if !lockdep.Enabled {
		t.Skip("the validator is compiled out (lockdep_off): nothing to report")
	}
	t.Parallel()
	v, rec := lockdeptest.Private(t)
	other, otherRec := lockdeptest.Private(t)
	defaultBefore := lockdep.ReportCount()
	var ka, kb lockdep.Key
	a, b := v.NewMap("a", &ka), v.NewMap("b", &kb)
	a.Acquire(0, lockdep.Exclusive)
	b.Acquire(0, lockdep.Exclusive)
	b.Release()
	a.Release()
	b.Acquire(0, lockdep.Exclusive)
	a.Acquire(0, lockdep.Exclusive)
	a.Release()
	b.Release()
	v.FlushPending()
	require.Equal(t, []lockdep.Kind{lockdep.Circular}, rec.Kinds(), "the private validator's reports")
	other.FlushPending()
	require.Empty(t, otherRec.Kinds(), "another private validator's reports")
	require.Zero(t, lockdep.ReportCount()-defaultBefore, "the default validator's new reports")
}
