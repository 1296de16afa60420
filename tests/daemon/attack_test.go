package daemon_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/internal/uploadtest"
)

// Issue 13's findings against the built daemon.

// TestAttackDamagedStoreStarts damages a store the daemon filled, in the
// ways that crashed it (a cut file, garbage pages, an empty file), and
// finds that it starts, says so, keeps the damaged file and takes uploads.
func TestAttackDamagedStoreStarts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"truncated to half", func(b []byte) []byte { return b[:len(b)/2] }},
		{"garbage pages", func(b []byte) []byte {
			for i := 2 * 4096; i < len(b); i++ {
				b[i] = byte(i*131 + i>>8)
			}
			return b
		}},
		{"zero bytes", func([]byte) []byte { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d := startDaemon(t, dir)
			for i := range 40 {
				if code, msg, err := d.post(uploadtest.Encoded(t, fmt.Sprintf("s%d.test", i), 1+i, "A->B", "B->C")); err != nil || code != 200 {
					t.Fatalf("upload: %d %s %v", code, msg, err)
				}
			}
			d.kill()
			path := filepath.Join(dir, "lockdepd.db")
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(path, tc.damage(data), 0o600)
			d2 := startDaemon(t, dir)
			if code, msg, err := d2.post(uploadtest.Encoded(t, "after.test", 99, "A->B")); err != nil || code != 200 {
				t.Fatalf("upload after the damage: %d %s %v\n%s", code, msg, err, d2.stderr)
			}
			log := d2.stderr.String()
			if !strings.Contains(log, "was damaged") || !strings.Contains(log, "kept as "+path+".damaged-") {
				t.Errorf("no clear message about the damage:\n%s", log)
			}
		})
	}
}

// TestAttackForeignHost: a request naming another host (DNS rebinding)
// is refused, for uploads and views alike.
func TestAttackForeignHost(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	for _, method := range []string{"GET", "POST"} {
		req, _ := http.NewRequest(method, d.url+"/api/v1/upload", strings.NewReader(string(uploadtest.Encoded(t, "a.test", 1, "A->B"))))
		if method == "GET" {
			req, _ = http.NewRequest(method, d.url+"/api/v1/reports", nil)
		}
		req.Host = "evil.example"
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("%s with Host evil.example: %s, want 421", method, resp.Status)
		}
	}
}

// TestAttackBrowserPagesCannotUpload: pages a browser loads from another
// loopback port and from a file post uploads to the daemon every way a
// page can; none is stored.
func TestAttackBrowserPagesCannotUpload(t *testing.T) {
	if _, err := os.Stat(chromiumPath()); err != nil {
		t.Skipf("no headless browser at %s (apt-get install chromium, or set LOCKDEP_CHROMIUM): %v", chromiumPath(), err)
	}
	d := startDaemon(t, t.TempDir())
	body := strings.TrimSpace(string(uploadtest.Encoded(t, "browser.test", 7, "A->B")))
	page := `<!doctype html><html><body><script>
const u = "` + d.url + `/api/v1/upload";
const b = ` + "`" + body + "`" + `;
Promise.allSettled([
  fetch(u, {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: b}),
  fetch(u, {method: "POST", mode: "no-cors", body: new Blob([b], {type: "application/json"})}),
  fetch(u, {method: "POST", headers: {"Content-Type": "application/json"}, body: b}),
  fetch(u, {method: "POST", mode: "no-cors", body: new URLSearchParams({upload: b})}),
]).then(() => document.body.append("sent"));
</script></body></html>`
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(page))
	}))
	defer other.Close()
	file := filepath.Join(t.TempDir(), "page.html")
	os.WriteFile(file, []byte(page), 0o600)
	for _, url := range []string{other.URL + "/", "file://" + file} {
		if dom := string(chromium(t, "--virtual-time-budget=5000", "--dump-dom", url)); !strings.Contains(dom, "sent</body>") {
			t.Fatalf("the page at %s did not finish its posts:\n%s", url, dom)
		}
	}
	code, list := d.get(t, "/api/v1/uploads")
	if code != 200 || strings.TrimSpace(string(list)) != "[]" {
		t.Fatalf("pages from other origins stored uploads: %d %s\n%s", code, list, d.stderr)
	}
}

// TestAttackSlowBodyCut: a body sent a byte a second is cut once the
// request has taken 10 s for its headers plus the body timeout, 10 s plus
// 1 s per MiB of -max-upload (21 s in all here), where it held the
// connection for 2 minutes before. It runs with LOCKDEP_LOAD set, as the
// long load runs of .ci/run do.
func TestAttackSlowBodyCut(t *testing.T) {
	if os.Getenv("LOCKDEP_LOAD") == "" {
		t.Skip("waits for the 21 s request timeout; set LOCKDEP_LOAD=1 to run it")
	}
	d := startDaemon(t, t.TempDir(), "-max-upload", "1")
	c, err := net.Dial("tcp", strings.TrimPrefix(d.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /api/v1/upload HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", strings.TrimPrefix(d.url, "http://"))
	start := time.Now()
	cut := make(chan time.Duration, 1)
	go func() {
		io.Copy(io.Discard, c) // returns when the daemon closes the connection
		cut <- time.Since(start)
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case held := <-cut:
			t.Logf("the slow body was cut after %v", held.Round(time.Second))
			return
		case <-tick.C:
			if time.Since(start) > time.Minute {
				t.Fatal("a body sent a byte a second still holds its connection after a minute")
			}
			c.Write([]byte(" "))
		}
	}
}
