package clean

import (
	"fmt"
	"os"
	"reflect"
	"testing"
)

var setUp bool

// TestMain is the package's own: lockdepd test keeps it working.
func TestMain(m *testing.M) {
	setUp = true
	code := m.Run()
	fmt.Println("clean: teardown ran")
	os.Exit(code)
}

func TestSetUp(t *testing.T) {
	if !setUp {
		t.Fatal("the package's TestMain did not run")
	}
}

func TestStats(t *testing.T) {
	var s Stats
	s.Hit()
	s.Hit()
	if s.hits != 2 || s.own.locks != 2 {
		t.Fatal(s.hits, s.own.locks)
	}
	s.Wait(5)
}

func TestRegistry(t *testing.T) {
	Add("a")
	Add("b")
	if Bump("a") != 1 || Bump("a") != 2 || Bump("b") != 1 {
		t.Fatal("bump")
	}
}

func TestTable(t *testing.T) {
	tb := NewTable()
	n := 0
	tb.With("x", func() { n++ })
	tb.With("yy", func() { n++ })
	tb.With("x", func() { n++ })
	if n != 3 {
		t.Fatal(n)
	}
}

func TestCount(t *testing.T) {
	if got := Count(20); got != 20 {
		t.Fatal(got)
	}
}

// TestTypes logs the types the locks have in this build, for the test that
// runs this module under lockdepd test (go test -v shows them).
func TestTypes(t *testing.T) {
	var r raw
	stats := reflect.TypeOf((*Stats)(nil)).Elem()
	t.Logf("Stats.Mutex: %v", stats.Field(0).Type)
	t.Logf("Stats.own: %v", stats.Field(2).Type)
	t.Logf("raw.mu: %v", reflect.TypeOf((*raw)(nil)).Elem().Field(0).Type)
	if r.Addr() == 0 {
		t.Fatal("no address")
	}
}

func TestPair(t *testing.T) {
	var p Pair
	p.Both()
	p.Both()
}
