package daemon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/golockdep/lockdep/internal/uploadtest"
	"github.com/golockdep/lockdep/reports"
)

func TestMain(m *testing.M) {
	RunStoreCheck() // the store check re-runs this binary
	os.Exit(m.Run())
}

// newTestServer starts a Server on a temporary directory.
func newTestServer(t testing.TB, dir, token string) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(Config{DataDir: dir, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		hs.Close()
		s.Close()
	})
	return s, hs
}

func post(t testing.TB, url string, body []byte, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+uploadPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
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

func get(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCrossProcessCycle(t *testing.T) {
	_, hs := newTestServer(t, t.TempDir(), "")
	for _, body := range [][]byte{uploadtest.Encoded(t, "a.test", 1, "A->B"), uploadtest.Encoded(t, "b.test", 2, "B->A")} {
		if code, msg := post(t, hs.URL, body); code != 200 {
			t.Fatalf("upload: %d %s", code, msg)
		}
	}
	code, body := get(t, hs.URL+"/api/v1/reports")
	if code != 200 {
		t.Fatalf("reports: %d %s", code, body)
	}
	var doc reports.ReportsJSON
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 2 || len(doc.Reports) != 1 || !doc.Reports[0].CrossProcess {
		t.Fatalf("runs %d, reports %+v; want 2 runs and one cross-process cycle", len(doc.Runs), doc.Reports)
	}
	for _, path := range []string{"/", "/lockdep", "/lockdep_chains", "/lockdep_stats", "/lock_stat", "/graph.dot",
		"/reports.txt", "/baseline.json", "/profile/edges.pb.gz", "/profile/contention.pb.gz", "/api/v1/uploads", "/api/v1/uploads/1"} {
		if code, body := get(t, hs.URL+path); code != 200 || body == "" {
			t.Errorf("GET %s: %d %q", path, code, body)
		}
	}
	if code, _ := get(t, hs.URL+"/nonesuch"); code != 404 {
		t.Errorf("GET /nonesuch: %d", code)
	}
	if code, _ := get(t, hs.URL+"/api/v1/uploads/99"); code != 404 {
		t.Errorf("GET /api/v1/uploads/99: %d", code)
	}
}

func TestBadInput(t *testing.T) {
	s, hs := newTestServer(t, t.TempDir(), "")
	good := uploadtest.Encoded(t, "a.test", 1, "A->B")
	if code, msg := post(t, hs.URL, good); code != 200 {
		t.Fatalf("upload: %d %s", code, msg)
	}
	_, before := get(t, hs.URL+"/api/v1/reports")
	with := func(f func(m map[string]any)) []byte {
		var c map[string]any
		json.Unmarshal(good, &c)
		f(c)
		b, _ := json.Marshal(c)
		return b
	}
	for _, tc := range []struct {
		name string
		body []byte
		code int
		msg  string
	}{
		{"malformed JSON", []byte(`{"schema":1,`), 400, "malformed"},
		{"wrong version", with(func(m map[string]any) { m["schema"] = 99 }), 400, "schema 99"},
		{"unknown field", with(func(m map[string]any) { m["extra"] = true }), 400, "unknown field"},
		{"oversized", bytes.Repeat([]byte("x"), reports.MaxUploadBytes+10), 413, "too large"},
		{"absurd count", with(func(m map[string]any) {
			cs := make([]any, 9000)
			for i := range cs {
				cs[i] = map[string]any{"name": fmt.Sprint("c", i), "subclass": 0}
			}
			m["classes"] = cs
		}), 422, "9000 classes"},
		{"control characters", with(func(m map[string]any) { m["identity"].(map[string]any)["binary"] = "a\x00b" }), 422, "control character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, msg := post(t, hs.URL, tc.body)
			if code != tc.code || !strings.Contains(msg, tc.msg) {
				t.Errorf("got %d %q, want %d and a message with %q", code, msg, tc.code, tc.msg)
			}
		})
	}
	if code, _ := get(t, hs.URL+uploadPath); code != http.StatusMethodNotAllowed {
		t.Errorf("GET %s: %d, want 405", uploadPath, code)
	}
	if _, after := get(t, hs.URL+"/api/v1/reports"); after != before || s.Count() != 1 {
		t.Errorf("bad uploads changed the state: %d uploads", s.Count())
	}
}

func TestToken(t *testing.T) {
	_, hs := newTestServer(t, t.TempDir(), "s3cret")
	body := uploadtest.Encoded(t, "a.test", 1, "A->B")
	if code, _ := post(t, hs.URL, body); code != 401 {
		t.Errorf("upload without token: %d", code)
	}
	if code, _ := post(t, hs.URL, body, "Authorization", "Bearer wrong"); code != 401 {
		t.Errorf("upload with a wrong token: %d", code)
	}
	if code, _ := get(t, hs.URL+"/"); code != 401 {
		t.Errorf("page without token: %d", code)
	}
	if code, msg := post(t, hs.URL, body, "Authorization", "Bearer s3cret"); code != 200 {
		t.Errorf("upload with the token: %d %s", code, msg)
	}
}

func TestCheckAddr(t *testing.T) {
	for _, tc := range []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:7077", "", true},
		{"localhost:7077", "", true},
		{"[::1]:7077", "", true},
		{"127.0.0.2:0", "", true},
		{"0.0.0.0:7077", "", false},
		{":7077", "", false},
		{"192.0.2.1:7077", "", false},
		{"0.0.0.0:7077", "t", true},
		{"nonsense", "t", false},
	} {
		err := CheckAddr(tc.addr, tc.token)
		if (err == nil) != tc.ok {
			t.Errorf("CheckAddr(%q, %q) = %v", tc.addr, tc.token, err)
		}
		if tc.addr == "0.0.0.0:7077" && tc.token == "" && !errors.Is(err, ErrNeedToken) {
			t.Errorf("CheckAddr: %v, want ErrNeedToken", err)
		}
	}
}

// TestConcurrentUploadsAndRestart posts from many clients at once, then
// reopens the store and finds every acknowledged upload.
func TestConcurrentUploadsAndRestart(t *testing.T) {
	dir := t.TempDir()
	s, err := New(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	const clients = 48
	var wg sync.WaitGroup
	acked := make(chan int, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, _ := post(t, hs.URL, uploadtest.Encoded(t, fmt.Sprintf("c%d.test", i), 100+i, "A->B")); code == 200 {
				acked <- i
			}
		}()
	}
	wg.Wait()
	close(acked)
	hs.Close()
	s.Close()
	if len(acked) != clients {
		t.Fatalf("%d of %d uploads acknowledged", len(acked), clients)
	}
	s2, hs2 := newTestServer(t, dir, "")
	if s2.Count() != clients {
		t.Fatalf("after restart: %d uploads, want %d", s2.Count(), clients)
	}
	_, body := get(t, hs2.URL+"/api/v1/uploads")
	for i := range clients {
		if !strings.Contains(body, fmt.Sprintf(`"c%d.test"`, i)) {
			t.Errorf("upload from c%d.test missing after restart", i)
		}
	}
}

func TestStoreInUse(t *testing.T) {
	dir := t.TempDir()
	newTestServer(t, dir, "")
	if _, err := New(Config{DataDir: dir}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second server on one store: %v", err)
	}
}
