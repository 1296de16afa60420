package reports

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
)

// TestMergingIncrementalMatchesMerge: a Merging fed uploads one at a time,
// asked for its Result along the way, ends where Merge of them all does,
// and the results it gave earlier are not changed by later uploads.
func TestMergingIncrementalMatchesMerge(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	names := []string{"A", "B", "C", "D", "E", "F"}
	var in []Received
	for i := 0; i < 30; i++ {
		var deps []string
		for j := 0; j < 3; j++ {
			a, b := names[rng.Intn(len(names))], names[rng.Intn(len(names))]
			if a != b {
				deps = append(deps, a+"->"+b)
			}
		}
		u := testUpload(t, fmt.Sprintf("p%d.test", i), i+1, dedupDeps(deps)...)
		u.LockStats = []LockStat{{Class: "A", Contentions: 1, Acquisitions: 2, WaitMinNS: 1, WaitMaxNS: 1, WaitTotalNS: 1}}
		in = append(in, Received{Upload: u})
	}
	mg, err := NewMerging()
	if err != nil {
		t.Fatal(err)
	}
	var early *Merged
	var earlyCopy string
	for i, r := range in { // in start order already: Merge sorts them so
		mg.Add(r)
		if i == 10 {
			early = mg.Result()
			earlyCopy = fmt.Sprintf("%+v %+v %+v", early.Runs, early.LockStats, early.Graph.Edges)
		}
	}
	got := mg.Result()
	want, err := Merge(in)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("incremental result differs from Merge:\n got %+v\nwant %+v", got.Reports, want.Reports)
	}
	if now := fmt.Sprintf("%+v %+v %+v", early.Runs, early.LockStats, early.Graph.Edges); now != earlyCopy {
		t.Errorf("a result changed after later uploads")
	}
}

func dedupDeps(deps []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range deps {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// TestMergingSourcesBounded: a dependency every upload has names at most
// MaxEdgeSources processes.
func TestMergingSourcesBounded(t *testing.T) {
	var in []Received
	for i := 0; i < lockdep.MaxEdgeSources+10; i++ {
		in = append(in, Received{Upload: testUpload(t, fmt.Sprintf("p%d.test", i), i+1, "A->B")})
	}
	m, err := Merge(in)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.Graph.Edges[0].Sources); n != lockdep.MaxEdgeSources {
		t.Errorf("the edge names %d sources, want %d", n, lockdep.MaxEdgeSources)
	}
}
