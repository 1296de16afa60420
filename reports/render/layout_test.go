package render

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/reports"
)

// rect is an axis-aligned rectangle: x0 < x1, y0 < y1.
type rect struct{ x0, y0, x1, y1 float64 }

func (a rect) overlaps(b rect) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }
func (a rect) inside(b rect) bool {
	return a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1
}

// labelRect is the area a dependency's label may cover: its measured
// width, from a little above the baseline to a little below.
func labelRect(e edge) rect {
	x0 := e.labelX
	if e.lane != 0 {
		x0 -= e.labelW / 2
	}
	return rect{x0, e.labelY - labelFont, x0 + e.labelW, e.labelY + 4}
}

// segments are the lines a dependency is drawn with, as thin rectangles.
func segments(l *layout, e edge) []rect {
	from, to := l.boxes[e.from], l.boxes[e.to]
	line := func(x0, y0, x1, y1 float64) rect {
		return rect{min(x0, x1) - 1, min(y0, y1) - 1, max(x0, x1) + 1, max(y0, y1) + 1}
	}
	switch {
	case e.lane == 0:
		return []rect{line(from.cx(), from.y+from.h, from.cx(), to.y)}
	case e.lane < 0:
		return []rect{line(from.x, e.y0, e.laneX, e.y0), line(e.laneX, e.y0, e.laneX, e.y1), line(e.laneX, e.y1, to.x, e.y1)}
	}
	return []rect{line(from.x+from.w, e.y0, e.laneX, e.y0), line(e.laneX, e.y0, e.laneX, e.y1), line(e.laneX, e.y1, to.x+to.w, e.y1)}
}

// checkLayout checks the layout's promises: boxes do not overlap one
// another or any label, labels do not overlap one another nor cross
// another dependency's line (a lane's own vertical line runs under its
// label), every name line fits its box, and everything lies inside the
// picture.
func checkLayout(t *testing.T, what string, l *layout) {
	t.Helper()
	pic := rect{0, 0, l.w, l.h}
	var boxes, labels []rect
	for _, b := range l.boxes {
		r := rect{b.x, b.y, b.x + b.w, b.y + b.h}
		for i, s := range b.lines {
			if len(s) > maxLineChars {
				t.Errorf("%s: line %q over %d characters", what, s, maxLineChars)
			}
			w := float64(len(s)) * nameAdvance
			base := b.y + padY + float64(i)*lineHeight + nameFont - 1
			if !(rect{b.cx() - w/2, base - nameFont, b.cx() + w/2, base + 4}).inside(r) {
				t.Errorf("%s: line %q of %q outside its box", what, s, b.name)
			}
		}
		boxes = append(boxes, r)
	}
	for _, e := range l.edges {
		labels = append(labels, labelRect(e))
	}
	for i, a := range boxes {
		if !a.inside(pic) {
			t.Errorf("%s: box %d %v outside the picture %v", what, i, a, pic)
		}
		for j, b := range boxes[:i] {
			if a.overlaps(b) {
				t.Errorf("%s: boxes %d and %d overlap", what, i, j)
			}
		}
		for j, b := range labels {
			if a.overlaps(b) {
				t.Errorf("%s: box %d and label %d overlap", what, i, j)
			}
		}
	}
	for i, a := range labels {
		for j, e := range l.edges {
			for _, seg := range segments(l, e) {
				if j != i && a.overlaps(seg) {
					t.Errorf("%s: label %d %v crosses dependency %d at %v", what, i, a, j, seg)
				}
			}
		}
		if !a.inside(pic) {
			t.Errorf("%s: label %d %v outside the picture %v", what, i, a, pic)
		}
		for j, b := range labels[:i] {
			if a.overlaps(b) {
				t.Errorf("%s: labels %d and %d overlap", what, i, j)
			}
		}
	}
}

// randomCycle returns n links forming a cycle over classes with names of
// random lengths, the last the closing one, plus a few random extra links
// as a report's chain may have.
func randomCycle(rng *rand.Rand, n int) []reports.Link {
	names := make([]string, n)
	for i := range names {
		var b strings.Builder
		for want := 1 + rng.Intn(200); b.Len() < want && (i%3 != 0 || b.Len() < 2); {
			b.WriteString([]string{"github.com/", "acme/", "payments", ".", "(*Store)", "mu", "internal/", "x"}[rng.Intn(8)])
		}
		names[i] = fmt.Sprintf("%d%s", i, b.String())
	}
	types := []string{"-(EN)->", "-(SN)->", "-(EN,ER,SN,SR)->", "-(ER)->"}
	var links []reports.Link
	for i := range names {
		links = append(links, reports.Link{From: names[i], To: names[(i+1)%n], Types: types[rng.Intn(len(types))]})
	}
	for k := rng.Intn(3); k > 0; k-- {
		links = append(links[:len(links)-1:len(links)-1], reports.Link{From: names[rng.Intn(n)], To: names[rng.Intn(n)], Types: "-(EN)->"}, links[len(links)-1])
	}
	return links
}

// TestLayoutNeverOverlaps lays out random cycles of 1 to 12 classes with
// names up to 200 bytes, and extra links that skip rows or go back.
func TestLayoutNeverOverlaps(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 500; i++ {
		links := randomCycle(rng, 1+rng.Intn(12))
		checkLayout(t, fmt.Sprintf("cycle %d", i), layoutCycle(links, true))
	}
}

func TestLayoutLongNames(t *testing.T) {
	var names []string
	for i := range 6 {
		names = append(names, fmt.Sprintf("github.com/acme/payments/internal/ledger%d.(*Store).mu%s", i, strings.Repeat("x", 30)))
	}
	var links []reports.Link
	for i, n := range names {
		links = append(links, reports.Link{From: n, To: names[(i+1)%len(names)], Types: "-(EN)->"})
	}
	l := layoutCycle(links, true)
	checkLayout(t, "six 80-byte names", l)
	if len(l.boxes) != 6 || l.edges[5].lane >= 0 || !l.edges[5].closing {
		t.Errorf("want 6 rows and the closing dependency in a left lane: %+v", l.edges)
	}
}

func TestWrapName(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"mu", []string{"mu"}},
		{"github.com/acme/payments/internal/ledger.(*Store).mu", []string{"github.com/acme/payments/internal/ledger.(*Store).mu"}},
		{"github.com/acme/payments/internal/settlement/batches.(*Batch).mu", []string{"github.com/acme/payments/internal/settlement/batches.", "(*Batch).mu"}},
		{strings.Repeat("a", 150), []string{strings.Repeat("a", 56), strings.Repeat("a", 56), strings.Repeat("a", 38)}},
		{strings.Repeat("b", 200), []string{strings.Repeat("b", 56), strings.Repeat("b", 56), "..." + strings.Repeat("b", 53)}},
	} {
		got := wrapName(c.in)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
