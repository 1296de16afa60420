package daemon

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/internal/uploadtest"
	"github.com/golockdep/lockdep/reports/render"
)

// TestPageSourceLinks: Config.Page reaches the web page: with a source URL
// template its stack lines are links; without one they are not.
func TestPageSourceLinks(t *testing.T) {
	for _, page := range []render.PageOptions{{}, {SourceURL: "https://example.com/r/{path}#L{line}"}} {
		s, err := New(Config{DataDir: t.TempDir(), Page: page})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s.Handler())
		for i, b := range [][]byte{uploadtest.Encoded(t, "a.test", 1, "A->B"), uploadtest.Encoded(t, "b.test", 2, "B->A")} {
			if code, msg := post(t, hs.URL, b); code != 200 {
				t.Fatalf("upload %d: %d %s", i, code, msg)
			}
		}
		code, body := get(t, hs.URL+"/")
		hs.Close()
		s.Close()
		link := strings.Contains(body, `<a class="src" href="https://example.com/r/src/a.test/f.go#L10">/src/a.test/f.go:10</a>`)
		if code != 200 || link != (page.SourceURL != "") || !strings.Contains(body, "/src/a.test/f.go:10") {
			t.Errorf("page with %+v: status %d, link %v:\n%s", page, code, link, body)
		}
	}
}
