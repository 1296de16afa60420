package lockdep

import (
	"fmt"
	"testing"
)

func mergeEdge(t testing.TB, g *Merger, from, to, types string) *Report {
	t.Helper()
	r, err := g.AddEdge(MergedEdge{From: from, To: to, Types: types, Source: "p"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestMergerSearchBoundedWithoutOrder: once a read cycle that is not a
// deadlock has broken the topological order, a cycle search over more than
// MergeSearchBudget edges is cut and counted, and short cycles are still
// found.
func TestMergerSearchBoundedWithoutOrder(t *testing.T) {
	g, err := NewMerger(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := mergeEdge(t, g, "x", "y", "-(ER)->"); r != nil {
		t.Fatal(r)
	}
	if r := mergeEdge(t, g, "y", "x", "-(SN)->"); r != nil {
		t.Fatalf("a read cycle reported as a deadlock:\n%v", r)
	}
	if !g.g.orderBroken {
		t.Fatal("the read cycle did not break the topological order; the test needs it")
	}
	n := MergeSearchBudget + 10
	for i := 0; i < n; i++ {
		mergeEdge(t, g, fmt.Sprintf("c%d", i), fmt.Sprintf("c%d", i+1), "-(EN)->")
	}
	if g.SearchesCut() != 0 {
		t.Fatalf("%d searches cut while adding a chain", g.SearchesCut())
	}
	// Closing the long chain needs a search of all of it: over budget.
	if r := mergeEdge(t, g, fmt.Sprintf("c%d", n), "c0", "-(EN)->"); r != nil {
		t.Fatalf("a search over the budget reported a cycle of %d classes", len(r.Classes))
	}
	if g.SearchesCut() != 1 {
		t.Fatalf("SearchesCut %d, want 1", g.SearchesCut())
	}
	mergeEdge(t, g, "a", "b", "-(EN)->")
	r := mergeEdge(t, g, "b", "a", "-(EN)->")
	if r == nil || len(r.Classes) != 2 {
		t.Fatalf("short deadlock cycle: got %v, want a report on a and b", r)
	}
}
