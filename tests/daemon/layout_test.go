package daemon_test

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/internal/uploadtest"
)

// measure is a script appended to the page: it writes the bounding boxes
// of every cycle picture, its class boxes with their texts, and its
// dependency labels, as the browser laid them out, into <pre id="geometry">.
const measure = `<script>
(function () {
  var r = function (e) { var b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  var out = [];
  document.querySelectorAll('svg.cycle').forEach(function (svg) {
    var pic = {pic: r(svg), boxes: [], labels: []};
    svg.querySelectorAll('g.class').forEach(function (g) {
      pic.boxes.push({name: g.querySelector('title').textContent, rect: r(g.querySelector('rect')),
        texts: [].map.call(g.querySelectorAll('text'), r)});
    });
    svg.querySelectorAll('g.dep text').forEach(function (t) { pic.labels.push(r(t)); });
    out.push(pic);
  });
  var pre = document.createElement('pre');
  pre.id = 'geometry';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
`

type bbox [4]float64 // left, top, right, bottom

func (a bbox) overlaps(b bbox) bool { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] }

// inside allows half a pixel of rounding.
func (a bbox) inside(b bbox) bool {
	return a[0] >= b[0]-0.5 && a[1] >= b[1]-0.5 && a[2] <= b[2]+0.5 && a[3] <= b[3]+0.5
}

type picture struct {
	Pic   bbox
	Boxes []struct {
		Name  string
		Rect  bbox
		Texts []bbox
	}
	Labels []bbox
}

// longName is a real-looking class name of exactly 80 bytes.
func longName(i int) string {
	n := fmt.Sprintf("github.com/acme/payments/internal/ledger%d.(*Store).mu", i)
	return strings.Replace(n, "internal/", "internal/"+strings.Repeat("x", 80-len(n)-1)+"/", 1)
}

// TestBrowserLayout draws a 6-lock cycle of 80-byte names, recorded by
// two test binaries, in headless Chromium and compares the bounding boxes
// the browser computed: no two class boxes overlap, every line of a name
// lies inside its box, every label inside the picture and off every box.
// It also checks the filters (a test binary in the query string) and the
// source links of -source-url.
func TestBrowserLayout(t *testing.T) {
	requireBrowser(t)
	var names []string
	for i := range 6 {
		names = append(names, longName(i))
		if len(names[i]) != 80 {
			t.Fatalf("name %q is %d bytes", names[i], len(names[i]))
		}
	}
	var chain []string
	for i := 0; i < 5; i++ {
		chain = append(chain, names[i]+"->"+names[i+1])
	}
	d := startDaemon(t, t.TempDir(), "-source-url", "https://example.com/repo/{path}#L{line}", "-source-trim", "/src")
	for _, b := range [][]byte{uploadtest.Encoded(t, "ledger.test", 11, chain...), uploadtest.Encoded(t, "audit.test", 22, names[5]+"->"+names[0])} {
		if code, msg, err := d.post(b); err != nil || code != 200 {
			t.Fatalf("upload: %d %s %v", code, msg, err)
		}
	}
	code, page := d.get(t, "/")
	if code != 200 || !strings.Contains(string(page), "</body>") {
		t.Fatalf("GET /: %d\n%s", code, page)
	}
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte(strings.Replace(string(page), "</body>", measure+"</body>", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(chromium(t, "--window-size=1400,3000", "--dump-dom", "file://"+file))
	m := regexp.MustCompile(`(?s)<pre id="geometry">(.*?)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no geometry in the page as Chromium ran it:\n%s", dom)
	}
	var pics []picture
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &pics); err != nil {
		t.Fatalf("geometry %q: %v", m[1], err)
	}
	if len(pics) != 1 || len(pics[0].Boxes) != 6 || len(pics[0].Labels) != 6 {
		t.Fatalf("want one picture of 6 classes and 6 labels: %+v", pics)
	}
	p := pics[0]
	for i, b := range p.Boxes {
		if b.Rect[2]-b.Rect[0] < 50 || len(b.Texts) < 2 {
			t.Errorf("box %q: %v with %d lines of text; want an 80-byte name wrapped", b.Name, b.Rect, len(b.Texts))
		}
		if !b.Rect.inside(p.Pic) {
			t.Errorf("box %q %v outside the picture %v", b.Name, b.Rect, p.Pic)
		}
		for _, o := range p.Boxes[:i] {
			if b.Rect.overlaps(o.Rect) {
				t.Errorf("boxes %q %v and %q %v overlap", b.Name, b.Rect, o.Name, o.Rect)
			}
		}
		for _, tx := range b.Texts {
			if !tx.inside(b.Rect) {
				t.Errorf("a line of %q at %v runs out of its box %v", b.Name, tx, b.Rect)
			}
		}
		for _, l := range p.Labels {
			if l.overlaps(b.Rect) {
				t.Errorf("label %v overlaps box %q %v", l, b.Name, b.Rect)
			}
		}
	}
	for _, l := range p.Labels {
		if !l.inside(p.Pic) {
			t.Errorf("label %v outside the picture %v", l, p.Pic)
		}
	}
	for _, want := range []string{`href="https://example.com/repo/ledger.test/f.go#L10"`, `<table class="legend">`, "ledger.test, audit.test"} {
		if !strings.Contains(dom, want) && !strings.Contains(dom, strings.Replace(want, "ledger.test, audit.test", "audit.test, ledger.test", 1)) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// The filters run in the browser: another binary hides the report.
	for query, hidden := range map[string]bool{"?bin=audit.test": false, "?bin=other.test": true, "?kind=recursive": true} {
		dom := string(chromium(t, "--dump-dom", "file://"+file+query))
		div := regexp.MustCompile(`<div class="report" [^>]*>`).FindString(dom)
		if div == "" || strings.Contains(div, " hidden") != hidden {
			t.Errorf("with %s the report is %q, want hidden=%v", query, div, hidden)
		}
	}
}
