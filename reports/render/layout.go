package render

import "github.com/golockdep/lockdep/reports"

// The cycle picture is laid out in layers, one class per row, top to
// bottom in the order the cycle visits them, so that nothing can overlap
// whatever the names' lengths:
//
//   - each class is a box as wide as its longest line of text, measured
//     with a fixed advance per byte of a monospace font (an upper bound
//     for the common ones, and bytes are at least as many as characters), its name wrapped at "/", "." or "(" into
//     at most maxLines lines of maxLineChars and the middle elided beyond,
//     the full name in a <title> shown on hover;
//   - rows are stacked with a gap between them, and a dependency from one
//     row to the next is a straight arrow down the middle of the column,
//     its label in the gap beside it, inside the column;
//   - every other dependency (the one closing the cycle, and any that skip
//     rows) runs in a lane of its own beside the column, back edges on the
//     left and forward ones on the right, as wide as its label, which sits
//     in a gap between rows, where no connector runs.
//
// Boxes, gaps and lanes are disjoint rectangles, so no two boxes overlap,
// every text lies inside its box or its lane, and the picture's size is
// the sum of theirs.
const (
	nameFont     = 13   // px, class names
	nameAdvance  = 8.2  // px per character at nameFont: ≥ 0.62 em
	labelFont    = 12   // px, dependency labels
	labelAdvance = 7.6  // px per character at labelFont
	lineHeight   = 17.0 // px between name lines
	padX, padY   = 10.0, 8.0
	maxLineChars = 56
	maxLines     = 3
	rowGap       = 46.0 // px between rows: a label and the arrowheads
	laneGap      = 14.0 // px of room on each side of a lane's label
	margin       = 12.0
)

// box is one class: its rectangle and the lines of its name.
type box struct {
	name       string
	lines      []string
	x, y, w, h float64
}

func (b *box) cx() float64 { return b.x + b.w/2 }
func (b *box) cy() float64 { return b.y + b.h/2 }

// edge is one dependency of the cycle, placed.
type edge struct {
	link     reports.Link
	from, to int
	closing  bool
	lane     int     // 0: straight down the column; <0 left lanes, >0 right
	laneX    float64 // the lane's vertical line
	labelX   float64 // the label's anchor (its middle for lanes, its left end straight)
	labelY   float64 // the label's baseline
	labelW   float64
	y0, y1   float64 // where a lane edge leaves its source and enters its target
}

// layout is a placed cycle.
type layout struct {
	boxes []box
	edges []edge
	w, h  float64
}

// layoutCycle places the classes and dependencies of links.
func layoutCycle(links []reports.Link, hasNew bool) *layout {
	l := &layout{}
	pos := map[string]int{}
	for _, k := range links {
		for _, n := range []string{k.From, k.To} {
			if _, ok := pos[n]; !ok {
				pos[n] = len(l.boxes)
				lines := wrapName(n)
				l.boxes = append(l.boxes, box{name: n, lines: lines, h: float64(len(lines))*lineHeight + 2*padY})
			}
		}
	}
	// Which dependencies go straight down, which in lanes.
	straight := map[int]bool{} // by source row
	var left, right float64
	colLabel := 0.0
	for i, k := range links {
		e := edge{link: k, from: pos[k.From], to: pos[k.To], closing: hasNew && i == len(links)-1,
			labelW: float64(len(k.Types)) * labelAdvance}
		switch {
		case e.to == e.from+1 && !straight[e.from]:
			straight[e.from] = true
			colLabel = max(colLabel, e.labelW)
		case e.to <= e.from:
			left += e.labelW + 2*laneGap
			e.lane = -1
		default:
			right += e.labelW + 2*laneGap
			e.lane = 1
		}
		l.edges = append(l.edges, e)
	}
	colW := 2 * (colLabel + laneGap)
	for i := range l.boxes {
		b := &l.boxes[i]
		for _, s := range b.lines {
			b.w = max(b.w, float64(len(s))*nameAdvance+2*padX)
		}
		colW = max(colW, b.w)
	}
	colX := margin + left
	y := margin
	for i := range l.boxes {
		b := &l.boxes[i]
		b.x, b.y = colX+(colW-b.w)/2, y
		y += b.h + rowGap
	}
	l.h = y - rowGap + margin
	// A label sits in the gap below row g; a dependency that needs the gap
	// below the last row (a class depending on itself there) adds one.
	gapY := func(g int) float64 {
		if g >= len(l.boxes)-1 {
			g = len(l.boxes) - 1
			l.h = max(l.h, l.boxes[g].y+l.boxes[g].h+rowGap+margin)
		}
		return l.boxes[g].y + l.boxes[g].h + rowGap/2 + labelFont/2 - 1
	}
	leftX, rightX := colX, colX+colW
	for i := range l.edges {
		e := &l.edges[i]
		switch {
		case e.lane == 0:
			e.labelX, e.labelY = colX+colW/2+laneGap/2, gapY(e.from)
		case e.lane < 0:
			leftX -= e.labelW + 2*laneGap
			e.laneX = leftX + laneGap + e.labelW/2
			e.labelX, e.labelY = e.laneX, gapY(e.to)
		default:
			e.laneX = rightX + laneGap + e.labelW/2
			rightX += e.labelW + 2*laneGap
			e.labelX, e.labelY = e.laneX, gapY(e.from)
		}
	}
	l.w = rightX + margin
	l.attach()
	return l
}

// attach spreads the lane edges that meet one side of a box over its
// height, so that no two share a connector.
func (l *layout) attach() {
	type side struct{ box, dir int }
	at := map[side][]*float64{}
	var order []side
	add := func(s side, y *float64) {
		if at[s] == nil {
			order = append(order, s)
		}
		at[s] = append(at[s], y)
	}
	for i := range l.edges {
		if e := &l.edges[i]; e.lane != 0 {
			add(side{e.from, e.lane}, &e.y0)
			add(side{e.to, e.lane}, &e.y1)
		}
	}
	for _, s := range order {
		b := &l.boxes[s.box]
		for k, y := range at[s] {
			*y = b.y + b.h*float64(k+1)/float64(len(at[s])+1)
		}
	}
}

// wrapName splits a class name into lines of at most maxLineChars,
// breaking after "/" or "." or before "(" where it can, and keeps at most
// maxLines of them, eliding the middle of a longer name with "...".
func wrapName(name string) []string {
	var lines []string
	for rest := name; rest != ""; {
		if len(rest) <= maxLineChars {
			lines = append(lines, rest)
			break
		}
		cut := maxLineChars
		for i := maxLineChars; i > maxLineChars/2; i-- {
			if c := rest[i-1]; c == '/' || c == '.' || rest[i] == '(' {
				cut = i
				break
			}
		}
		for cut > 1 && rest[cut]&0xc0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		lines = append(lines, rest[:cut])
		rest = rest[cut:]
	}
	if len(lines) <= maxLines {
		return lines
	}
	tail := name[len(name)-(maxLineChars-3):]
	for len(tail) > 0 && tail[0]&0xc0 == 0x80 {
		tail = tail[1:]
	}
	return append(lines[:maxLines-1:maxLines-1], "..."+tail)
}
