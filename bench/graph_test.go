package bench

import (
	"fmt"
	"math/rand"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
)

// 6: graph scale. A private validator learns a DAG of 10,000 classes and
// 100,000 dependencies, added in random order by real acquisitions of
// pseudo-locks; then each iteration adds one more dependency (new-edge) or
// one that closes a cycle, report included (cycle-edge).

const (
	graphClasses = 10000
	graphEdges   = 100000
)

type graph struct {
	v     *lockdep.Validator
	maps  []*lockdep.Map
	rank  []int // the hidden topological order: edges go from lower rank to higher
	has   map[[2]int]bool
	edges [][2]int
	rng   *rand.Rand
}

func newGraph(tb testing.TB) (*graph, float64, float64) {
	v, err := lockdep.New(lockdep.Options{MaxClasses: 2 * graphClasses, MaxEdges: 4 * graphEdges,
		MaxChains: 4 * graphEdges, Handler: func(*lockdep.Report) {}})
	if err != nil {
		tb.Fatal(err)
	}
	g := &graph{v: v, rng: rand.New(rand.NewSource(1)), has: make(map[[2]int]bool)}
	g.rank = g.rng.Perm(graphClasses)
	keys := make([]lockdep.Key, graphClasses)
	before := heapBytes()
	for i := range keys {
		m := v.NewMap(fmt.Sprintf("class%05d", i), &keys[i])
		m.Acquire(0, lockdep.Exclusive) // registers the class
		m.Release()
		g.maps = append(g.maps, m)
	}
	afterClasses := heapBytes()
	for len(g.edges) < graphEdges {
		g.addForward()
	}
	afterEdges := heapBytes()
	perClass := float64(afterClasses-before) / graphClasses
	perEdge := float64(afterEdges-afterClasses) / graphEdges
	return g, perClass, perEdge
}

// addForward adds a dependency that agrees with the hidden order, so that
// the graph stays acyclic, and returns how long the acquisition took.
func (g *graph) addForward() time.Duration {
	for {
		a, b := g.rng.Intn(graphClasses), g.rng.Intn(graphClasses)
		if a == b {
			continue
		}
		if g.rank[a] > g.rank[b] {
			a, b = b, a
		}
		if g.has[[2]int{a, b}] {
			continue
		}
		g.has[[2]int{a, b}] = true
		g.edges = append(g.edges, [2]int{a, b})
		g.maps[a].Acquire(0, lockdep.Exclusive)
		start := time.Now()
		g.maps[b].Acquire(0, lockdep.Exclusive)
		d := time.Since(start)
		g.maps[b].Release()
		g.maps[a].Release()
		return d
	}
}

func heapBytes() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

var shared *graph
var sharedClass, sharedEdge float64

func buildShared(b *testing.B) *graph {
	if shared == nil {
		b.StopTimer()
		shared, sharedClass, sharedEdge = newGraph(b)
		b.StartTimer()
	}
	return shared
}

func BenchmarkGraph(b *testing.B) {
	if !lockdep.Enabled {
		b.Skip("the validator is compiled out")
	}
	b.Run("new-edge", func(b *testing.B) {
		g := buildShared(b)
		b.ReportAllocs()
		ds := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			ds = append(ds, g.addForward())
		}
		b.StopTimer()
		b.ReportMetric(float64(median(ds).Nanoseconds()), "median-ns/edge")
		b.ReportMetric(sharedClass, "B/class")
		b.ReportMetric(sharedEdge, "B/edge")
	})
	b.Run("cycle-edge", func(b *testing.B) {
		g := buildShared(b)
		b.ReportAllocs()
		ds := make([]time.Duration, 0, b.N)
		before := g.v.ReportCount()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			// Reverse a dependency: it closes a cycle of length two at
			// least. Each pair is a new chain, so each is searched.
			e := g.edges[(i*7919)%len(g.edges)]
			g.maps[e[1]].Acquire(0, lockdep.Exclusive)
			start := time.Now()
			g.maps[e[0]].Acquire(0, lockdep.Exclusive)
			ds = append(ds, time.Since(start))
			g.maps[e[0]].Release()
			g.maps[e[1]].Release()
		}
		b.StopTimer()
		if g.v.ReportCount() == before {
			b.Fatal("no cycle was reported")
		}
		b.ReportMetric(float64(median(ds).Nanoseconds()), "median-ns/edge")
	})
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
