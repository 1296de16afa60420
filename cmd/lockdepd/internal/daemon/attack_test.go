package daemon

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golockdep/lockdep/internal/uploadtest"
	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/reports"
)

// The bad-input table of issue 13, finding by finding, end to end.

// Finding 1: after a read cycle that is not a deadlock, a long chain
// closed into a cycle is checked within the search budget, the cut is
// said, and every view answers.
func TestAttackReadCycleThenLongChain(t *testing.T) {
	_, hs := newTestServer(t, t.TempDir(), "")
	mustPost(t, hs.URL, uploadtest.Encoded(t, "read.test", 1, "x-(ER)->y", "y-(SN)->x"))
	n := lockdep.MergeSearchBudget + 100
	var chain []string
	for i := 0; i < n; i++ {
		chain = append(chain, fmt.Sprintf("c%d->c%d", i, i+1))
	}
	mustPost(t, hs.URL, uploadtest.Encoded(t, "chain.test", 2, chain...))
	mustPost(t, hs.URL, uploadtest.Encoded(t, "back.test", 3, fmt.Sprintf("c%d->c0", n)))
	code, body := get(t, hs.URL+"/lockdep_stats")
	if code != 200 || !strings.Contains(body, "cycle search(es) stopped") {
		t.Fatalf("/lockdep_stats: %d, want the cut search said:\n%s", code, body)
	}
	for path := range views {
		path = strings.TrimSuffix(path, "{$}")
		if code, _ := get(t, hs.URL+path); code != 200 {
			t.Errorf("GET %s: %d", path, code)
		}
	}
}

// Finding 1: concurrent readers share one build of the merged graph, and
// an upload is merged once (a second read after no upload is the cache).
func TestAttackViewsSingleFlight(t *testing.T) {
	s, hs := newTestServer(t, t.TempDir(), "")
	mustPost(t, hs.URL, uploadtest.Encoded(t, "a.test", 1, "A->B"))
	const readers = 16
	got := make([]*reports.Merged, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := s.Merged(context.Background())
			if err != nil {
				t.Error(err)
			}
			got[i] = m
		}()
	}
	wg.Wait()
	for i, m := range got {
		if m != got[0] {
			t.Fatalf("reader %d got its own merge; concurrent readers must share one", i)
		}
	}
	mustPost(t, hs.URL, uploadtest.Encoded(t, "b.test", 2, "B->C"))
	m, _ := s.Merged(context.Background())
	if m == got[0] || len(m.Runs) != 2 {
		t.Fatalf("after an upload: the old merge, or %d runs", len(m.Runs))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	mustPost(t, hs.URL, uploadtest.Encoded(t, "c.test", 3, "C->D"))
	if _, err := s.Merged(ctx); err == nil {
		// The build may have won the race; it must then be the new one.
		if m2, _ := s.Merged(context.Background()); len(m2.Runs) != 3 {
			t.Fatalf("%d runs, want 3", len(m2.Runs))
		}
	}
}

func mustPost(t testing.TB, url string, body []byte, header ...string) {
	t.Helper()
	if code, msg := post(t, url, body, header...); code != 200 {
		t.Fatalf("upload: %d %s", code, msg)
	}
}

// Finding 2: uploads beyond MaxUploads wait, then are answered 429 with
// Retry-After, their bodies unread.
func TestAttackUploadCap(t *testing.T) {
	s, err := New(Config{DataDir: t.TempDir(), MaxUploads: 1, UploadWait: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })
	pr, pw := io.Pipe()
	slow := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", hs.URL+uploadPath, pr)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			slow <- 0
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	body := uploadtest.Encoded(t, "a.test", 1, "A->B")
	pw.Write(body[:10]) // the slow upload holds the one slot
	var code int
	var retry string
	for i := 0; i < 100; i++ { // until the slow upload has taken its slot
		req, _ := http.NewRequest("POST", hs.URL+uploadPath, bytes.NewReader(uploadtest.Encoded(t, "b.test", 2, "B->C")))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		code, retry = resp.StatusCode, resp.Header.Get("Retry-After")
		if code == http.StatusTooManyRequests {
			break
		}
	}
	if code != http.StatusTooManyRequests || retry == "" {
		t.Fatalf("an upload beyond the cap: %d, Retry-After %q; want 429 and a Retry-After", code, retry)
	}
	pw.Write(body[10:])
	pw.Close()
	if c := <-slow; c != 200 {
		t.Fatalf("the slow upload: %d", c)
	}
}

// Finding 2: retention by count keeps the newest, the merged graph
// follows, and storage is re-encoded, not the padded body.
func TestAttackRetentionAndReencoding(t *testing.T) {
	dir := t.TempDir()
	s, err := New(Config{DataDir: dir, MaxRuns: 3})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	for i := 1; i <= 5; i++ {
		body := uploadtest.Encoded(t, fmt.Sprintf("r%d.test", i), i, "A->B")
		padded := append(bytes.Repeat([]byte(" "), 100000), body...)
		mustPost(t, hs.URL, padded)
	}
	if s.Count() != 3 {
		t.Fatalf("%d uploads kept, want 3 (-max-runs 3)", s.Count())
	}
	_, list := get(t, hs.URL+"/api/v1/uploads")
	for i := 1; i <= 5; i++ {
		if has := strings.Contains(list, fmt.Sprintf(`"r%d.test"`, i)); has != (i > 2) {
			t.Errorf("upload r%d.test listed: %v; want only the newest three", i, has)
		}
	}
	_, one := get(t, hs.URL+"/api/v1/uploads/5")
	if len(one) > 1000 {
		t.Errorf("stored upload is %d bytes: the padding was kept", len(one))
	}
	s.rebuilds.Wait()
	if m, _ := s.Merged(context.Background()); len(m.Runs) != 3 {
		t.Errorf("merged graph has %d runs after retention, want 3", len(m.Runs))
	}
	hs.Close()
	s.Close()
	// By age, at start-up.
	s2, err := New(Config{DataDir: dir, MaxAge: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if s2.Count() != 0 {
		t.Errorf("-max-age: %d uploads kept, want none", s2.Count())
	}
}

// Finding 2: the merged problem list is bounded, with a count of the rest.
func TestAttackProblemsBounded(t *testing.T) {
	mg, err := reports.NewMerging()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < reports.MaxMergeProblems+500; i++ {
		mg.Problem(fmt.Sprint("problem ", i))
	}
	ps := mg.Result().Problems
	if len(ps) != reports.MaxMergeProblems+1 || !strings.Contains(ps[len(ps)-1], "500 more") {
		t.Fatalf("%d problems, last %q; want %d and a count of 500 more", len(ps), ps[len(ps)-1], reports.MaxMergeProblems+1)
	}
}

func httptestServer(s *Server) *httptest.Server { return httptest.NewServer(s.Handler()) }
