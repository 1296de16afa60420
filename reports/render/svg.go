package render

import (
	"fmt"
	"hash/fnv"
	"html"
	"strings"

	"github.com/golockdep/lockdep/reports"
)

// CycleSVG draws a report's cycle: its classes as boxes, one per row in
// the order the cycle visits them, and each dependency as an arrow
// labelled with its types, the closing dependency dashed (see layout.go
// for why nothing overlaps at any name length). It returns "" for reports
// that are not cycles. The result is a standalone <svg> element, safe to
// inline in HTML: every name is escaped.
func CycleSVG(r *reports.MergedReport) string {
	links := r.Links()
	if len(links) == 0 {
		return ""
	}
	l := layoutCycle(links, r.New != nil)
	names := make([]string, len(l.boxes))
	for i, b := range l.boxes {
		names[i] = b.name
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="cycle" xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`,
		l.w, l.h, l.w, l.h, html.EscapeString("lock cycle: "+strings.Join(names, " → ")))
	// The arrowhead's id is the report's own, for pages with many pictures.
	h := fnv.New32a()
	h.Write([]byte(BaselineLine(r)))
	arrow := fmt.Sprintf("arrow-%08x", h.Sum32())
	fmt.Fprintf(&b, `<defs><marker id="%s" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c00"/></marker></defs>`, arrow)
	for _, e := range l.edges {
		from, to := &l.boxes[e.from], &l.boxes[e.to]
		var d string
		switch {
		case e.lane == 0:
			d = fmt.Sprintf("M%.1f,%.1f V%.1f", from.cx(), from.y+from.h, to.y)
		case e.lane < 0:
			d = fmt.Sprintf("M%.1f,%.1f H%.1f V%.1f H%.1f", from.x, e.y0, e.laneX, e.y1, to.x)
		default:
			d = fmt.Sprintf("M%.1f,%.1f H%.1f V%.1f H%.1f", from.x+from.w, e.y0, e.laneX, e.y1, to.x+to.w)
		}
		dash := ""
		if e.closing {
			dash = ` stroke-dasharray="6 4"`
		}
		anchor := "middle"
		if e.lane == 0 {
			anchor = "start"
		}
		fmt.Fprintf(&b, `<g class="dep"><title>%s</title><path d="%s" fill="none" stroke="#c00" stroke-width="2"%s marker-end="url(#%s)"/>`,
			html.EscapeString(e.link.From+" "+e.link.Types+" "+e.link.To+sourcesSuffix(e.link.Sources)), d, dash, arrow)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="%s" font-family="%s" font-size="%d" fill="#800" paint-order="stroke" stroke="#fff" stroke-width="4">%s</text></g>`,
			e.labelX, e.labelY, anchor, monoFonts, labelFont, html.EscapeString(e.link.Types))
	}
	for _, x := range l.boxes {
		fmt.Fprintf(&b, `<g class="class"><title>%s</title><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="6" fill="#fff4f4" stroke="#c00" stroke-width="2"/>`,
			html.EscapeString(x.name), x.x, x.y, x.w, x.h)
		for i, s := range x.lines {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-family="%s" font-size="%d">%s</text>`,
				x.cx(), x.y+padY+float64(i)*lineHeight+nameFont-1, monoFonts, nameFont, html.EscapeString(s))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// monoFonts are the monospace fonts the picture is measured for: each
// advances at most 0.62 em per character.
const monoFonts = `'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace`

func sourcesSuffix(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return " (from " + strings.Join(ss, ", ") + ")"
}
