package reports

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// stackedUpload has n classes and the given number of edges, edge i with
// count i%7+1 and a stack of the given depth drawn from a few hundred
// functions, a chain for every tenth edge, one circular report and one
// lock_stat line with two contention points.
func stackedUpload(t testing.TB, n, edges, frames int) *Upload {
	t.Helper()
	u := testUpload(t, "big.test", 7)
	for i := range n {
		u.Classes = append(u.Classes, Class{Name: fmt.Sprintf("example.com/cache.(*shard).mu#%d", i)})
	}
	seen := map[[2]int]bool{}
	for i := 0; len(u.Edges) < edges; i++ {
		from, to := i%n, (i+1+i/n)%n
		if from == to || seen[[2]int{from, to}] {
			continue
		}
		seen[[2]int{from, to}] = true
		st := make([]Frame, frames)
		for j := range st {
			k := (i*3 + j*17) % 400
			st[j] = Frame{Function: fmt.Sprintf("example.com/cache.(*Cache).f%d", k), File: fmt.Sprintf("/src/cache/shard%d.go", k%20), Line: 10 + k}
		}
		e := Edge{From: u.Classes[from].Name, To: u.Classes[to].Name, Types: "-(EN)->", Count: uint64(len(u.Edges)%7 + 1), Stack: st}
		u.Edges = append(u.Edges, e)
		if len(u.Edges)%10 == 0 {
			u.Chains = append(u.Chains, Chain{Classes: []string{e.From, e.To}, Modes: []string{"write", "read"}})
		}
	}
	link := func(e Edge) Link {
		return Link{From: e.From, To: e.To, Types: e.Types, Stack: e.Stack, Sources: []string{"x <&> y"}}
	}
	nl := link(u.Edges[1])
	u.Reports = []Report{{Kind: "circular", Classes: []string{u.Edges[0].From, u.Edges[0].To}, Chain: []Link{link(u.Edges[0])}, New: &nl,
		Text: "a <report> & \u2028 text\n"}}
	u.LockStats = []LockStat{{Class: u.Classes[0].Name, Contentions: 1, Acquisitions: 2,
		Points: []Point{{Frame: u.Edges[0].Stack[0], Count: 1}, {Frame: Frame{Function: "f<>&", File: "é.go"}, Count: 2}}}}
	if err := u.Validate(Limits{}); err != nil {
		t.Fatal(err)
	}
	return u
}

func encodedLen(t testing.TB, u *Upload) int64 {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, u); err != nil {
		t.Fatal(err)
	}
	return int64(buf.Len())
}

func TestEncodedSizeIsExact(t *testing.T) {
	empty := testUpload(t, "e.test", 1)
	empty.Classes, empty.Edges, empty.Chains = nil, nil, nil
	trimmed := testUpload(t, "t.test", 2, "A->B")
	trimmed.Schema, trimmed.Trimmed = 2, "trimmed <note> & more"
	emptyStack := testUpload(t, "s.test", 3, "A->B")
	emptyStack.Edges[0].Stack = []Frame{}
	nilStack := testUpload(t, "s.test", 3, "A->B")
	nilStack.Edges[0].Stack = nil
	for name, u := range map[string]*Upload{
		"small":       testUpload(t, "a.test", 11, "A->B", "B->C"),
		"nil lists":   empty,
		"trimmed":     trimmed,
		"empty stack": emptyStack,
		"nil stack":   nilStack,
		"stacked":     stackedUpload(t, 50, 300, 12),
	} {
		if got, want := u.EncodedSize(), encodedLen(t, u); got != want {
			t.Errorf("%s: EncodedSize %d, Encode writes %d", name, got, want)
		}
	}
}

func TestFitLeavesSmallUploadsAlone(t *testing.T) {
	u := stackedUpload(t, 50, 300, 12)
	if err := u.Fit(encodedLen(t, u)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(u, stackedUpload(t, 50, 300, 12)) {
		t.Errorf("Fit changed an upload that fits")
	}
}

func TestFitTrims(t *testing.T) {
	fresh := func() *Upload { return stackedUpload(t, 200, 2000, 32) }
	full := encodedLen(t, fresh())
	for _, tc := range []struct {
		name    string
		limit   int64
		notes   []string // in the note
		absent  []string // not in the note
		depth   int      // deepest edge stack left
		dropped bool     // some edges lost their stacks
	}{
		{"16 frames", full * 6 / 10, []string{"edge stacks cut to 16 frames"}, []string{"dropped"}, 16, false},
		{"4 frames", full / 5, []string{"edge stacks cut to 4 frames"}, []string{"least-used"}, 4, false},
		{"least-used stacks", full / 12, []string{"edge stacks cut to 4 frames", "2 contention points dropped", "200 chains dropped", "least-used of 2000 edges dropped"}, nil, 4, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := fresh()
			if err := u.Fit(tc.limit); err != nil {
				t.Fatal(err)
			}
			size := encodedLen(t, u)
			if size > tc.limit || size != u.EncodedSize() {
				t.Errorf("trimmed to %d bytes (EncodedSize %d), limit %d", size, u.EncodedSize(), tc.limit)
			}
			if u.Schema != 2 || strings.ContainsAny(u.Trimmed, "\n\r") || !strings.HasPrefix(u.Trimmed, "trimmed from ") {
				t.Errorf("schema %d, note %q", u.Schema, u.Trimmed)
			}
			for _, s := range tc.notes {
				if !strings.Contains(u.Trimmed, s) {
					t.Errorf("note %q lacks %q", u.Trimmed, s)
				}
			}
			for _, s := range tc.absent {
				if strings.Contains(u.Trimmed, s) {
					t.Errorf("note %q has %q", u.Trimmed, s)
				}
			}
			orig := fresh()
			if len(u.Classes) != len(orig.Classes) || len(u.Edges) != len(orig.Edges) || len(u.Reports) != 1 || len(u.Reports[0].Chain[0].Stack) != 32 {
				t.Errorf("lost classes, edges or reports' stacks: %d %d %d", len(u.Classes), len(u.Edges), len(u.Reports))
			}
			// Kept stacks are the innermost frames; the least-used
			// edges lose theirs first.
			minKept, maxDropped, dropped := ^uint64(0), uint64(0), 0
			for i, e := range u.Edges {
				o := orig.Edges[i]
				if e.From != o.From || e.To != o.To || e.Count != o.Count || e.Types != o.Types {
					t.Fatalf("edge %d changed", i)
				}
				if len(e.Stack) > tc.depth || !reflect.DeepEqual(e.Stack, o.Stack[:len(e.Stack)]) {
					t.Fatalf("edge %d: %d frames, not the first %d or fewer", i, len(e.Stack), tc.depth)
				}
				if len(e.Stack) == 0 {
					maxDropped = max(maxDropped, e.Count)
					dropped++
				} else {
					minKept = min(minKept, e.Count)
				}
			}
			if (dropped > 0) != tc.dropped || dropped > 0 && maxDropped > minKept {
				t.Errorf("%d stacks dropped, of counts up to %d, while stacks of count %d were kept", dropped, maxDropped, minKept)
			}
			again := fresh()
			again.Fit(tc.limit)
			if !reflect.DeepEqual(u, again) {
				t.Errorf("two trims of one upload differ")
			}
			var buf bytes.Buffer
			Encode(&buf, u)
			if _, err := DecodeBytes(buf.Bytes(), Limits{MaxBytes: tc.limit}); err != nil {
				t.Errorf("trimmed upload does not decode: %v", err)
			}
		})
	}
}

func TestFitRefusesWhatCannotFit(t *testing.T) {
	u := stackedUpload(t, 200, 2000, 8)
	err := u.Fit(64 << 10)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "limit 64.0 KiB") {
		t.Errorf("Fit: %v", err)
	}
	if len(u.Edges) != 2000 || !strings.Contains(u.Trimmed, "stacks of 1 reports cut to 4 frames") {
		t.Errorf("not trimmed as far as it goes: %q", u.Trimmed)
	}
}

func TestSchemaVersions(t *testing.T) {
	u := testUpload(t, "a.test", 1, "A->B")
	u.Schema, u.Trimmed = 1, "trimmed"
	if err := u.Validate(Limits{}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "needs schema 2") {
		t.Errorf("schema 1 with a note: %v", err)
	}
	for _, v := range []int{1, 2} {
		u.Schema, u.Trimmed = v, ""
		if v == 2 {
			u.Trimmed = "trimmed from 40 MiB to fit 32 MiB: edge stacks cut to 8 frames"
		}
		var buf bytes.Buffer
		if err := Encode(&buf, u); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeBytes(buf.Bytes(), Limits{})
		if err != nil || got.Schema != v || got.Trimmed != u.Trimmed {
			t.Fatalf("schema %d: %v %+v", v, err, got)
		}
		m, err := Merge([]Received{{Upload: got}})
		if err != nil {
			t.Fatal(err)
		}
		trimmed := len(m.Runs) == 1 && strings.Contains(m.Runs[0].Trimmed, "trimmed from 40 MiB")
		if (v == 2) != trimmed {
			t.Errorf("schema %d: runs %+v", v, m.Runs)
		}
	}
}

func TestMiB(t *testing.T) {
	for n, want := range map[int64]string{812: "812 bytes", 64 << 10: "64.0 KiB", 32 << 20: "32 MiB", 45000000: "42.9 MiB"} {
		if got := MiB(n); got != want {
			t.Errorf("MiB(%d) = %q, want %q", n, got, want)
		}
	}
}
