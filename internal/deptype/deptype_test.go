package deptype

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Every non-empty set round-trips through String and Parse.
func TestRoundTrip(t *testing.T) {
	for s := Set(1); s < 16; s++ {
		got, err := Parse(s.String())
		require.NoError(t, err)
		require.Equal(t, s, got, "Parse(%q)", s.String())
	}
	require.Equal(t, "-(EN,SR)->", (EN | SR).String())
}

func TestParseRejects(t *testing.T) {
	for _, s := range []string{"", "EN", "-()->", "-(EN)", "-(XX)->", "-(SR,EN)->", "-(EN,EN)->", "-(EN, SR)->", "-(EN,)->"} {
		if got, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", s, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("-(EN,SR)->")
	f.Add("-(ER)->")
	f.Fuzz(func(t *testing.T, s string) {
		set, err := Parse(s)
		if err != nil {
			return
		}
		if set == 0 || set >= 16 || set.String() != s {
			t.Errorf("Parse(%q) = %v, which writes as %q", s, set, set.String())
		}
	})
}
