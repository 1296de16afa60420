package render

import (
	"fmt"
	"io"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/reports"
)

// BenchmarkWriteLockdep renders /lockdep for 8192 classes and 131,072
// dependencies (the upload limits): linear in the output since the
// dependencies are indexed by class (it looped over every dependency for
// every class before: 8192 x 131,072 steps).
func BenchmarkWriteLockdep(b *testing.B) {
	const classes, edges = 8192, 131072
	g := &lockdep.Snapshot{}
	for i := range classes {
		g.Classes = append(g.Classes, lockdep.ClassInfo{ID: uint32(i + 1), Name: fmt.Sprintf("c%04d", i)})
	}
	for i := range edges {
		from, to := i%classes, (i/classes+1+i%classes)%classes
		g.Edges = append(g.Edges, lockdep.EdgeInfo{From: fmt.Sprintf("c%04d", from), To: fmt.Sprintf("c%04d", to), Types: "-(EN)->"})
	}
	m := &reports.Merged{Graph: g}
	b.ResetTimer()
	for range b.N {
		if err := WriteLockdep(io.Discard, m); err != nil {
			b.Fatal(err)
		}
	}
}
