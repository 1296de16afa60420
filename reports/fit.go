package reports

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// fitFrames are the stack depths Fit tries, deepest first, before it drops
// whole stacks.
var fitFrames = []int{16, 8, 4}

// fitReserve is kept free under the limit for the "trimmed" note.
const fitReserve = 1 << 10

// EncodedSize returns the number of bytes Encode writes for u. It measures
// u piece by piece (each distinct stack frame once), so it never holds the
// whole encoding in memory.
func (u *Upload) EncodedSize() int64 {
	z := newSizer()
	return z.upload(u, z.edges(u.Edges))
}

// Fit makes u small enough that Encode writes at most maxBytes, leaving
// out, in this order and only as much as needed:
//
//  1. the outer frames of edge stacks: every edge stack is cut to the
//     first of 16, 8 and 4 frames that makes u fit, or to 4; the
//     innermost frames, where the lock was taken, are kept;
//  2. the contention points of every lock_stat line;
//  3. the cached lock chains;
//  4. the stacks of the least-used edges (lowest count first, ties broken
//     by from and to), one edge at a time;
//  5. the outer frames of the reports' stacks, cut to 4 frames.
//
// Every class, edge, report and lock_stat line is kept: the graph matters
// more than the stacks. The same upload always trims the same way. If
// anything was left out, Fit sets u.Trimmed to a one-line note saying what
// and u.Schema to at least 2. If u does not fit even then, Fit returns an
// error wrapping ErrTooLarge, and u is left trimmed as far as it goes.
func (u *Upload) Fit(maxBytes int64) error {
	z := newSizer()
	edges := z.edges(u.Edges)
	before := z.upload(u, edges)
	if before <= maxBytes {
		return nil
	}
	total := before
	target := maxBytes - fitReserve
	var notes []string

	// 1. Cut edge stacks.
	for i, depth := range fitFrames {
		var saved int64
		for j, e := range u.Edges {
			if len(e.Stack) > depth {
				saved += edges[j].stack - z.stack(e.Stack[:depth])
			}
		}
		if saved == 0 {
			continue
		}
		if total-saved > target && i < len(fitFrames)-1 {
			continue
		}
		for j := range u.Edges {
			if e := &u.Edges[j]; len(e.Stack) > depth {
				e.Stack = e.Stack[:depth:depth]
				edges[j].stack = z.stack(e.Stack)
			}
		}
		total -= saved
		notes = append(notes, fmt.Sprintf("edge stacks cut to %d frames", depth))
		break
	}

	// 2. Contention points.
	if total > target {
		var saved int64
		n := 0
		for j := range u.LockStats {
			if ps := u.LockStats[j].Points; len(ps) > 0 {
				saved += marshalLen(ps) - marshalLen([]Point{})
				n += len(ps)
				u.LockStats[j].Points = []Point{}
			}
		}
		if n > 0 {
			total -= saved
			notes = append(notes, fmt.Sprintf("%d contention points dropped", n))
		}
	}

	// 3. Chains.
	if total > target && len(u.Chains) > 0 {
		total -= z.list(len(u.Chains), func(i int) int64 { return marshalLen(u.Chains[i]) }) - z.list(0, nil)
		notes = append(notes, fmt.Sprintf("%d chains dropped", len(u.Chains)))
		u.Chains = []Chain{}
	}

	// 4. Stacks of the least-used edges.
	if total > target {
		order := make([]int, 0, len(u.Edges))
		for j, e := range u.Edges {
			if len(e.Stack) > 0 {
				order = append(order, j)
			}
		}
		sort.SliceStable(order, func(a, b int) bool {
			x, y := &u.Edges[order[a]], &u.Edges[order[b]]
			if x.Count != y.Count {
				return x.Count < y.Count
			}
			if x.From != y.From {
				return x.From < y.From
			}
			return x.To < y.To
		})
		n := 0
		for _, j := range order {
			if total <= target {
				break
			}
			total -= edges[j].stack - 2 // "[]"
			u.Edges[j].Stack = []Frame{}
			edges[j].stack = 2
			n++
		}
		if n > 0 {
			notes = append(notes, fmt.Sprintf("stacks of the %d least-used of %d edges dropped", n, len(u.Edges)))
		}
	}

	// 5. Report stacks.
	if total > target && len(fitFrames) > 0 {
		depth := fitFrames[len(fitFrames)-1]
		cut := func(l *Link) bool {
			if len(l.Stack) <= depth {
				return false
			}
			l.Stack = l.Stack[:depth:depth]
			return true
		}
		n := 0
		for j := range u.Reports {
			r := &u.Reports[j]
			old := marshalLen(r)
			changed := false
			for k := range r.Chain {
				changed = cut(&r.Chain[k]) || changed
			}
			if r.New != nil {
				nl := *r.New
				if cut(&nl) {
					r.New = &nl
					changed = true
				}
			}
			if changed {
				total -= old - marshalLen(r)
				n++
			}
		}
		if n > 0 {
			notes = append(notes, fmt.Sprintf("stacks of %d reports cut to %d frames", n, depth))
		}
	}

	if len(notes) > 0 {
		u.Trimmed = fmt.Sprintf("trimmed from %s to fit %s: %s", MiB(before), MiB(maxBytes), strings.Join(notes, "; "))
		u.Schema = max(u.Schema, 2)
	}
	if after := u.EncodedSize(); after > maxBytes {
		return fmt.Errorf("%w: still %s after trimming, limit %s: the classes, edges and reports alone are too large",
			ErrTooLarge, MiB(after), MiB(maxBytes))
	}
	return nil
}

// MiB formats a byte count for messages: "32 MiB", "43.2 MiB", "812 bytes".
func MiB(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// sizer measures JSON encodings piece by piece.
type sizer struct {
	frames map[Frame]int64
}

// edgeSize is an edge's encoded size: the edge without its stack, and its
// stack.
type edgeSize struct{ rest, stack int64 }

func newSizer() *sizer { return &sizer{frames: map[Frame]int64{}} }

func marshalLen(v any) int64 {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("reports: encoding %T: %v", v, err)) // the types always encode
	}
	return int64(len(b))
}

// list is the size of a JSON array of n elements whose sizes size gives.
func (z *sizer) list(n int, size func(i int) int64) int64 {
	if n == 0 {
		return 2 // "[]"
	}
	t := int64(1 + n) // brackets and commas
	for i := range n {
		t += size(i)
	}
	return t
}

// slice is list for a slice that encodes as null when nil.
func (z *sizer) slice(isNil bool, n int, size func(i int) int64) int64 {
	if isNil {
		return 4 // "null"
	}
	return z.list(n, size)
}

func (z *sizer) stack(fs []Frame) int64 {
	return z.slice(fs == nil, len(fs), func(i int) int64 {
		f := fs[i]
		n, ok := z.frames[f]
		if !ok {
			n = marshalLen(f)
			z.frames[f] = n
		}
		return n
	})
}

func (z *sizer) edges(es []Edge) []edgeSize {
	out := make([]edgeSize, len(es))
	for i, e := range es {
		st := e.Stack
		e.Stack = nil
		out[i] = edgeSize{rest: marshalLen(e) - 4, stack: z.stack(st)}
	}
	return out
}

// upload is u's encoded size, given its edges' sizes, with Encode's
// trailing newline.
func (z *sizer) upload(u *Upload, edges []edgeSize) int64 {
	shell := *u
	shell.Classes, shell.Edges, shell.Chains, shell.Reports, shell.LockStats = nil, nil, nil, nil, nil
	t := marshalLen(&shell) - 5*4 + 1
	t += z.slice(u.Classes == nil, len(u.Classes), func(i int) int64 { return marshalLen(u.Classes[i]) })
	t += z.slice(u.Edges == nil, len(u.Edges), func(i int) int64 { return edges[i].rest + edges[i].stack })
	t += z.slice(u.Chains == nil, len(u.Chains), func(i int) int64 { return marshalLen(u.Chains[i]) })
	t += z.slice(u.Reports == nil, len(u.Reports), func(i int) int64 { return marshalLen(&u.Reports[i]) })
	t += z.slice(u.LockStats == nil, len(u.LockStats), func(i int) int64 {
		ls := u.LockStats[i]
		ps := ls.Points
		ls.Points = nil
		return marshalLen(ls) - 4 + z.slice(ps == nil, len(ps), func(j int) int64 { return marshalLen(ps[j]) })
	})
	return t
}
