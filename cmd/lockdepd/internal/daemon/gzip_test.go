package daemon

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/internal/uploadtest"
	"github.com/golockdep/lockdep/reports"
	client "github.com/golockdep/lockdep/reports/upload"
)

func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newLimitedServer is newTestServer with a bound on uploads.
func newLimitedServer(t testing.TB, max int64) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(Config{DataDir: t.TempDir(), Limits: reports.Limits{MaxBytes: max}})
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

// TestGzipRoundTrip: the client's compressed upload is stored and served
// back decompressed, exactly as encoded.
func TestGzipRoundTrip(t *testing.T) {
	s, hs := newTestServer(t, t.TempDir(), "")
	body := uploadtest.Encoded(t, "a.test", 1, "A->B")
	if err := client.Send(hs.URL, body); err != nil {
		t.Fatal(err)
	}
	if code, msg := post(t, hs.URL, uploadtest.Encoded(t, "b.test", 2, "B->C")); code != 200 {
		t.Fatalf("uncompressed upload: %d %s", code, msg)
	}
	if code, msg := post(t, hs.URL, gzipped(t, uploadtest.Encoded(t, "c.test", 3, "C->D")), "Content-Encoding", "x-gzip"); code != 200 {
		t.Fatalf("x-gzip upload: %d %s", code, msg)
	}
	req, _ := http.NewRequest("POST", hs.URL+uploadPath, strings.NewReader("{"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("Accept-Encoding") != "gzip" {
		t.Errorf("a refused upload: %s, Accept-Encoding %q; want 400 and gzip", resp.Status, resp.Header.Get("Accept-Encoding"))
	}
	if s.Count() != 3 {
		t.Fatalf("%d uploads", s.Count())
	}
	if code, got := get(t, hs.URL+"/api/v1/uploads/1"); code != 200 || got != string(body) {
		t.Errorf("GET /api/v1/uploads/1: %d\n%s\nwant\n%s", code, got, body)
	}
}

func TestGzipBadInput(t *testing.T) {
	s, hs := newTestServer(t, t.TempDir(), "")
	bomb := gzipped(t, make([]byte, reports.MaxUploadBytes+1<<20)) // 33 MiB of zeros in 33 KiB
	for _, tc := range []struct {
		name   string
		body   []byte
		header []string
		code   int
		msg    string
	}{
		{"gzip bomb", bomb, []string{"Content-Encoding", "gzip"}, 413, "upload too large: the gzip body decompresses to over the limit of 32 MiB"},
		{"not gzip", uploadtest.Encoded(t, "a.test", 1, "A->B"), []string{"Content-Encoding", "gzip"}, 400, "the body is not gzip"},
		{"truncated gzip", gzipped(t, uploadtest.Encoded(t, "a.test", 1, "A->B"))[:40], []string{"Content-Encoding", "gzip"}, 400, "decompressing the body"},
		{"gzip of junk", gzipped(t, []byte("junk")), []string{"Content-Encoding", "gzip"}, 400, "malformed upload"},
		{"other encoding", uploadtest.Encoded(t, "a.test", 1, "A->B"), []string{"Content-Encoding", "br"}, 415, `Content-Encoding "br" not supported`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, msg := post(t, hs.URL, tc.body, tc.header...)
			if code != tc.code || !strings.Contains(msg, tc.msg) {
				t.Errorf("got %d %q, want %d and a message with %q", code, msg, tc.code, tc.msg)
			}
		})
	}
	if s.Count() != 0 {
		t.Errorf("bad uploads stored: %d", s.Count())
	}
}

// TestClientSeesRefusal: the real client against the daemon, refused
// by the body's length (before it is sent) and by what it decompresses
// to (after it is read): each time one line with the status and the
// daemon's reason, never a reset connection.
func TestClientSeesRefusal(t *testing.T) {
	_, hs := newLimitedServer(t, 64<<10)
	noise := make([]byte, 4<<20) // random: gzip cannot shrink it
	rand.Read(noise)
	err := client.Send(hs.URL, noise)
	var ue *client.Error
	want := "lockdep upload to " + hs.URL + " refused: 413 Request Entity Too Large: upload too large: 4.0 MiB, limit 64.0 KiB"
	if !errors.As(err, &ue) || ue.Status != 413 || err.Error() != want {
		t.Errorf("Send:\n got %v\nwant %s", err, want)
	}
	err = client.Send(hs.URL, bytes.Repeat([]byte(" "), 1<<20)) // 1 MiB in 1 KiB
	want = "lockdep upload to " + hs.URL + " refused: 413 Request Entity Too Large: upload too large: the gzip body decompresses to over the limit of 64.0 KiB"
	if err == nil || err.Error() != want {
		t.Errorf("Send:\n got %v\nwant %s", err, want)
	}
}

// TestBigUploadTrimmed: an upload over the daemon's limit is refused
// clearly as it is, and accepted once trimmed by Fit, as Flush does, with
// its note listed.
func TestBigUploadTrimmed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 40 MiB upload")
	}
	// The daemon merges an upload before it answers: 32 MiB of it take
	// over the uploader's default 5 s under the race detector.
	t.Setenv("LOCKDEP_DAEMON_TIMEOUT", "2m")
	_, hs := newTestServer(t, t.TempDir(), "")
	u := &reports.Upload{Schema: reports.MinSchemaVersion, Identity: reports.Identity{Binary: "cache.test", Host: "h", PID: 7, Start: time.Unix(7, 0).UTC()}}
	for i := range 2000 {
		u.Classes = append(u.Classes, reports.Class{Name: fmt.Sprintf("example.com/cache.(*shard).mu#%d", i)})
	}
	for i := range 12000 {
		st := make([]reports.Frame, 24)
		for j := range st {
			k := (i*3 + j*17) % 400
			st[j] = reports.Frame{Function: fmt.Sprintf("example.com/cache.(*Cache).func%d", k), File: fmt.Sprintf("/home/ci/src/example.com/cache/shard%d.go", k%20), Line: 10 + k}
		}
		u.Edges = append(u.Edges, reports.Edge{From: u.Classes[i%2000].Name, To: u.Classes[(i%2000+1+i/2000)%2000].Name, Types: "-(EN)->", Count: uint64(i%5 + 1), Stack: st})
	}
	var raw bytes.Buffer
	if err := reports.Encode(&raw, u); err != nil {
		t.Fatal(err)
	}
	if raw.Len() <= client.MaxBytes {
		t.Fatalf("test upload only %s", reports.MiB(int64(raw.Len())))
	}
	err := client.Send(hs.URL, raw.Bytes())
	if err == nil || !strings.Contains(err.Error(), "refused: 413 Request Entity Too Large: upload too large: the gzip body decompresses to over the limit of 32 MiB") {
		t.Errorf("untrimmed: %v", err)
	}
	if err := u.Fit(client.MaxBytes); err != nil {
		t.Fatal(err)
	}
	raw.Reset()
	reports.Encode(&raw, u)
	if err := client.Send(hs.URL, raw.Bytes()); err != nil {
		t.Fatalf("trimmed: %v", err)
	}
	_, list := get(t, hs.URL+"/api/v1/uploads")
	var runs []struct {
		Edges   int    `json:"edges"`
		Trimmed string `json:"trimmed"`
	}
	if err := json.Unmarshal([]byte(list), &runs); err != nil || len(runs) != 1 || runs[0].Edges != 12000 ||
		!strings.HasPrefix(runs[0].Trimmed, "trimmed from ") {
		t.Errorf("uploads: %v %s", err, list)
	}
	if _, text := get(t, hs.URL+"/reports.txt"); !strings.Contains(text, "note: the upload from cache.test pid 7 on h was trimmed from ") {
		t.Errorf("reports.txt does not say the upload was trimmed:\n%s", text)
	}
}
