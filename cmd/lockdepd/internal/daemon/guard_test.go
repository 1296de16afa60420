package daemon

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golockdep/lockdep/internal/uploadtest"
)

func do(t *testing.T, method, url string, body []byte, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Finding 4: what a browser can send is refused: a simple (text/plain or
// form) upload, an upload from another origin (another loopback port, a
// file:// page), and any request for a foreign Host (DNS rebinding).
func TestAttackBrowserRequests(t *testing.T) {
	s, hs := newTestServer(t, t.TempDir(), "")
	body := uploadtest.Encoded(t, "a.test", 1, "A->B")
	for _, tc := range []struct {
		name   string
		method string
		path   string
		header []string
		code   int
	}{
		{"text/plain upload", "POST", uploadPath, []string{"Content-Type", "text/plain"}, http.StatusUnsupportedMediaType},
		{"form upload", "POST", uploadPath, []string{"Content-Type", "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		{"no Content-Type", "POST", uploadPath, nil, http.StatusUnsupportedMediaType},
		{"other loopback origin", "POST", uploadPath, []string{"Content-Type", "application/json", "Origin", "http://127.0.0.1:1"}, http.StatusForbidden},
		{"file:// page", "POST", uploadPath, []string{"Content-Type", "application/json", "Origin", "null"}, http.StatusForbidden},
		{"rebound name, upload", "POST", uploadPath, []string{"Content-Type", "application/json", "Host", "evil.example:7077"}, http.StatusMisdirectedRequest},
		{"rebound name, view", "GET", "/api/v1/reports", []string{"Host", "evil.example"}, http.StatusMisdirectedRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, msg := do(t, tc.method, hs.URL+tc.path, body, tc.header...); code != tc.code {
				t.Errorf("%d %q, want %d", code, msg, tc.code)
			}
		})
	}
	if s.Count() != 0 {
		t.Fatalf("%d uploads stored from refused requests", s.Count())
	}
	// What the uploader sends, and a page of the daemon's own origin.
	for _, h := range [][]string{
		{"Content-Type", "application/json"},
		{"Content-Type", "application/json; charset=utf-8", "Host", "localhost"},
		{"Content-Type", "application/json", "Origin", hs.URL},
	} {
		if code, msg := do(t, "POST", hs.URL+uploadPath, body, h...); code != 200 {
			t.Errorf("upload with %q: %d %s", h, code, msg)
		}
	}
}

func TestHostOK(t *testing.T) {
	for _, tc := range []struct {
		addr  string
		names []string
		host  string
		ok    bool
	}{
		{"127.0.0.1:7077", nil, "127.0.0.1:7077", true},
		{"127.0.0.1:7077", nil, "[::1]:7077", true},
		{"127.0.0.1:7077", nil, "LOCALHOST", true},
		{"127.0.0.1:7077", nil, "evil.example", false},
		{"127.0.0.1:7077", nil, "192.0.2.1", false},
		{"127.0.0.1:7077", nil, "", false},
		{"192.0.2.1:7077", nil, "192.0.2.1:7077", true},
		{"0.0.0.0:7077", nil, "192.0.2.9:7077", true},
		{"0.0.0.0:7077", nil, "ci.example:7077", false},
		{"0.0.0.0:7077", []string{"ci.example"}, "CI.example:7077", true},
	} {
		s := &Server{cfg: Config{Addr: tc.addr, HostNames: tc.names}}
		if got := s.hostOK(tc.host); got != tc.ok {
			t.Errorf("listening on %s, names %v: Host %q accepted %v, want %v", tc.addr, tc.names, tc.host, got, tc.ok)
		}
	}
}

// Finding 5: input the schema refuses is refused at the daemon, and no
// terminal escape reaches the text views.
func TestAttackSchemaBreaking(t *testing.T) {
	s, hs := newTestServer(t, t.TempDir(), "")
	good := string(uploadtest.Encoded(t, "a.test", 1, "A->B"))
	for _, tc := range []struct {
		name, body string
		code       int
	}{
		{"invalid UTF-8", strings.Replace(good, `"a.test"`, "\"a\xc3.test\"", 1), 400},
		{"key in another case", strings.Replace(good, `"from"`, `"From"`, 1), 400},
		{"duplicate key", strings.Replace(good, `"pid":1`, `"pid":1,"pid":2`, 1), 400},
		{"escape in report text", strings.Replace(good, `"reports":null`, `"reports":[{"kind":"circular","classes":["A"],"text":"\u001b]0;pwned\u0007"}]`, 1), 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.body == good {
				t.Fatal("the test did not change the upload")
			}
			if code, msg := post(t, hs.URL, []byte(tc.body)); code != tc.code {
				t.Errorf("%d %q, want %d", code, msg, tc.code)
			}
		})
	}
	if s.Count() != 0 {
		t.Fatalf("%d uploads stored", s.Count())
	}
	_, text := get(t, hs.URL+"/reports.txt")
	if strings.ContainsAny(text, "\x1b\x07") {
		t.Errorf("/reports.txt holds a terminal escape: %q", text)
	}
}

// Finding 6: connections beyond the cap wait for one to close.
func TestAttackConnectionCap(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := LimitListener(raw, 1)
	defer ln.Close()
	type acc struct {
		c        net.Conn
		released bool
	}
	var released atomic.Bool
	accepted := make(chan acc, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- acc{c, released.Load()}
		}
	}()
	c1, err := net.Dial("tcp", raw.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	first := <-accepted
	c2, err := net.Dial("tcp", raw.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	time.Sleep(50 * time.Millisecond) // a chance for a wrong Accept to return
	released.Store(true)
	first.c.Close()
	second := <-accepted
	defer second.c.Close()
	if !second.released {
		t.Fatal("a second connection was accepted while the first, at the cap of 1, was open")
	}
}

// Finding 6: the body timeout grows with the size limit.
func TestBodyTimeoutFollowsLimit(t *testing.T) {
	small, big := BodyTimeout(1<<20), BodyTimeout(64<<20)
	if !(small < big) || big-small != 63*time.Second {
		t.Errorf("BodyTimeout: %v for 1 MiB, %v for 64 MiB; want 1 s more per MiB", small, big)
	}
	if hs := NewHTTPServer(nil, big); hs.ReadTimeout != 10*time.Second+big || hs.ReadHeaderTimeout == 0 {
		t.Errorf("ReadTimeout %v, want the headers' 10 s plus %v", hs.ReadTimeout, big)
	}
}
