package render

import (
	"fmt"
	"github.com/golockdep/lockdep/reports"
	"html"
	"math"
	"strings"
)

// CycleSVG draws a report's cycle: its classes as boxes on a circle and
// each dependency of the cycle as a curved arrow labelled with its types
// (the closing dependency dashed). It returns "" for reports that are not
// cycles. The result is a standalone <svg> element, safe to inline in
// HTML: every name is escaped.
func CycleSVG(r *reports.MergedReport) string {
	links := r.Links()
	if len(links) == 0 {
		return ""
	}
	var nodes []string
	pos := map[string]int{}
	for _, l := range links {
		for _, n := range []string{l.From, l.To} {
			if _, ok := pos[n]; !ok {
				pos[n] = len(nodes)
				nodes = append(nodes, n)
			}
		}
	}
	const w, radius = 640.0, 120.0
	h := 2*radius + 100
	boxW := 40.0
	for _, n := range nodes {
		boxW = max(boxW, float64(len(n))*7.5+16)
	}
	boxW = min(boxW, 260)
	xy := make([][2]float64, len(nodes))
	for i := range nodes {
		// On an ellipse, wider than tall; two classes side by side.
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(len(nodes))
		if len(nodes) == 2 {
			a = math.Pi * float64(1-i)
			h = 180
		}
		xy[i] = [2]float64{w/2 + 1.8*radius*math.Cos(a), radius * math.Sin(a)}
	}
	for i := range xy {
		xy[i][1] += h / 2
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="cycle" xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`,
		w, h, w, h, html.EscapeString("lock cycle: "+strings.Join(nodes, ", ")))
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c00"/></marker></defs>`)
	for i, l := range links {
		p, q := xy[pos[l.From]], xy[pos[l.To]]
		// Bend every arrow to its left so that A->B and B->A do not overlap.
		dx, dy := q[0]-p[0], q[1]-p[1]
		d := math.Hypot(dx, dy)
		if d == 0 {
			continue
		}
		nx, ny := dy/d, -dx/d
		bend := 50.0
		cx, cy := (p[0]+q[0])/2+nx*bend, (p[1]+q[1])/2+ny*bend
		// Start and end at the boxes' edges, roughly.
		sx, sy := shrink(p, [2]float64{cx, cy}, boxW/2, 16)
		ex, ey := shrink(q, [2]float64{cx, cy}, boxW/2, 16)
		dash := ""
		if i == len(links)-1 && r.New != nil {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<g class="dep"><title>%s</title><path d="M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f" fill="none" stroke="#c00" stroke-width="2"%s marker-end="url(#arrow)"/>`,
			html.EscapeString(l.From+" "+l.Types+" "+l.To+sourcesSuffix(l.Sources)), sx, sy, cx, cy, ex, ey, dash)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-family="monospace" font-size="12" fill="#800" paint-order="stroke" stroke="#fff" stroke-width="4">%s</text></g>`,
			(p[0]+q[0])/2+nx*(bend/2+14), (p[1]+q[1])/2+ny*(bend/2+14)+4, html.EscapeString(l.Types))
	}
	for i, n := range nodes {
		x, y := xy[i][0], xy[i][1]
		fmt.Fprintf(&b, `<g class="class"><rect x="%.1f" y="%.1f" width="%.1f" height="32" rx="6" fill="#fff4f4" stroke="#c00" stroke-width="2"/>`, x-boxW/2, y-16, boxW)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-family="monospace" font-size="13">%s</text></g>`, x, y+4, html.EscapeString(n))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func sourcesSuffix(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return " (from " + strings.Join(ss, ", ") + ")"
}

// shrink moves from box centre c towards t until it leaves a box of half
// width hw and half height hh.
func shrink(c, t [2]float64, hw, hh float64) (float64, float64) {
	dx, dy := t[0]-c[0], t[1]-c[1]
	s := math.Inf(1)
	if dx != 0 {
		s = math.Min(s, hw/math.Abs(dx))
	}
	if dy != 0 {
		s = math.Min(s, hh/math.Abs(dy))
	}
	if math.IsInf(s, 1) || s > 1 {
		s = 1
	}
	return c[0] + dx*s, c[1] + dy*s
}
