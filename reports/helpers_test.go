package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
)

// testUpload builds an upload from a process binary/pid that recorded
// the given dependencies, each written "A->B" (exclusive, -(EN)->) with a
// stack of one frame in file binary.go at a line derived from its index.
func testUpload(t testing.TB, binary string, pid int, deps ...string) *Upload {
	t.Helper()
	u := &Upload{Schema: SchemaVersion, Identity: Identity{Binary: binary, Package: "example.com/" + binary,
		Host: "ci-1", PID: pid, Start: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(pid) * time.Second)}}
	seen := map[string]bool{}
	class := func(n string) {
		if !seen[n] {
			seen[n] = true
			u.Classes = append(u.Classes, Class{Name: n, Key: n + "Key"})
		}
	}
	for i, d := range deps {
		from, to, ok := strings.Cut(d, "->")
		if !ok {
			t.Fatalf("testUpload: %q is not A->B", d)
		}
		class(from)
		class(to)
		u.Edges = append(u.Edges, Edge{From: from, To: to, Types: "-(EN)->", Count: uint64(i + 1),
			Stack: []Frame{{Function: "example.com/" + binary + ".take" + from + to, File: "/src/" + binary + "/" + binary + ".go", Line: 10 + i}}})
		u.Chains = append(u.Chains, Chain{Classes: []string{from, to}, Modes: []string{"write", "write"}})
	}
	u.Stats = Stats{Classes: len(u.Classes), DirectDeps: len(u.Edges), Chains: len(u.Chains), ChainHits: 100, ChainMisses: uint64(len(deps))}
	if err := u.Validate(Limits{}); err != nil {
		t.Fatalf("testUpload: %v", err)
	}
	return u
}

// liveUpload runs a real validator through A -> B (B read), B -> C and
// then C -> A, which closes a cycle, and returns its upload.
func liveUpload(t testing.TB) *Upload {
	t.Helper()
	var got []*lockdep.Report
	v := lockdep.MustNew(lockdep.Options{Handler: func(r *lockdep.Report) { got = append(got, r) }})
	v.EnableLockStats(true)
	var ka, kb, kc lockdep.Key
	a, b, c := v.NewMap("A", &ka), v.NewMap("B", &kb), v.NewMap("C", &kc)
	a.Acquire(0, lockdep.Exclusive)
	b.Acquire(0, lockdep.Shared)
	c.Acquire(0, lockdep.Exclusive)
	c.Release()
	b.Release()
	a.Release()
	c.Acquire(0, lockdep.Exclusive)
	a.Acquire(0, lockdep.Exclusive) // C -> A closes A -> B -> C: reported, not added
	a.Release()
	c.Release()
	u := FromValidator(v, Identity{Binary: "live.test", Host: "h", PID: 7, Start: time.Unix(1, 0).UTC()})
	if err := u.Validate(Limits{}); err != nil {
		t.Fatal(err)
	}
	return u
}
