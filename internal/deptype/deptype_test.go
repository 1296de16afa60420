package deptype

import "testing"

// Every non-empty set round-trips through String and Parse.
func TestRoundTrip(t *testing.T) {
	for s := Set(1); s < 16; s++ {
		got, err := Parse(s.String())
		if err != nil || got != s {
			t.Errorf("Parse(%q) = %v, %v; want %v", s.String(), got, err, s)
		}
	}
	if got := (EN | SR).String(); got != "-(EN,SR)->" {
		t.Errorf("(EN|SR).String() = %q", got)
	}
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
