package uploadtest

import (
	"testing"

	"github.com/golockdep/lockdep/reports"
)

func TestNew(t *testing.T) {
	u := New(t, "a.test", 3, "A->B", "B-(SR)->C")
	if len(u.Classes) != 3 || len(u.Edges) != 2 {
		t.Fatalf("classes %v edges %v", u.Classes, u.Edges)
	}
	if e := u.Edges[1]; e.From != "B" || e.To != "C" || e.Types != "-(SR)->" {
		t.Errorf("typed dependency parsed as %+v", e)
	}
	if err := u.Validate(reports.Limits{}); err != nil {
		t.Fatal(err)
	}
}
