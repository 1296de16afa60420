// Package uploadtest builds small uploads for the tests of the daemon and
// of the commands that talk to it: one builder, so that a change to the
// upload format is made in one place (package reports' own tests keep
// theirs, since a package's internal tests cannot import a package that
// imports it).
package uploadtest

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/reports"
)

// New builds the upload of a process binary/pid that recorded deps, each
// written "A->B" (an exclusive dependency, -(EN)->) or with its types,
// "A-(ER)->B". Each dependency has a one-frame stack in the binary's own
// source file, at a line derived from its index.
func New(t testing.TB, binary string, pid int, deps ...string) *reports.Upload {
	t.Helper()
	u := &reports.Upload{Schema: reports.SchemaVersion, Identity: reports.Identity{Binary: binary, Host: "test", PID: pid,
		Start: time.Unix(1700000000+int64(pid), 0).UTC()}}
	seen := map[string]bool{}
	for i, d := range deps {
		from, to, types := split(t, d)
		for _, n := range []string{from, to} {
			if !seen[n] {
				seen[n] = true
				u.Classes = append(u.Classes, reports.Class{Name: n})
			}
		}
		u.Edges = append(u.Edges, reports.Edge{From: from, To: to, Types: types, Count: 1,
			Stack: []reports.Frame{{Function: "example.com/" + binary + ".f", File: "/src/" + binary + "/f.go", Line: 10 + i}}})
	}
	return u
}

// Encoded is New, encoded as the library sends it.
func Encoded(t testing.TB, binary string, pid int, deps ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.Encode(&buf, New(t, binary, pid, deps...)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func split(t testing.TB, d string) (from, to, types string) {
	t.Helper()
	if i := strings.Index(d, "-("); i > 0 {
		if j := strings.Index(d[i:], ")->"); j > 0 {
			return d[:i], d[i+j+3:], d[i : i+j+3]
		}
	}
	from, to, ok := strings.Cut(d, "->")
	if !ok {
		t.Fatalf("uploadtest: %q is neither A->B nor A-(EN)->B", d)
	}
	return from, to, "-(EN)->"
}
