package upload

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/reports"
)

// TestSendRefusedTooLarge: a daemon that refuses a body by its length,
// without reading it, as lockdepd does over its limit. The client gets the
// status and the daemon's message, not a reset connection.
func TestSendRefusedTooLarge(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, fmt.Sprintf("lockdepd: upload too large: %s, limit 1 MiB", reports.MiB(r.ContentLength)), http.StatusRequestEntityTooLarge)
	}))
	defer hs.Close()
	data := make([]byte, 4<<20) // random: gzip cannot shrink it; over the socket buffers
	rand.Read(data)
	for range 3 { // a reset, if any, is a race: try a few times
		err := Send(hs.URL, data)
		var ue *Error
		if !errors.As(err, &ue) || ue.Status != 413 || !errors.Is(err, reports.ErrTooLarge) {
			t.Fatalf("Send: %v, want an *Error with status 413", err)
		}
		want := "lockdep upload to " + hs.URL + " refused: 413 Request Entity Too Large: upload too large: 4.0 MiB, limit 1 MiB"
		if err.Error() != want {
			t.Fatalf("Send:\n got %q\nwant %q", err, want)
		}
	}
}

// TestSendDaemonDown: nothing listens at the address.
func TestSendDaemonDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	err = Send(url, []byte("{}"))
	var ue *Error
	if !errors.As(err, &ue) || ue.Status != 0 || ue.URL != url {
		t.Fatalf("Send: %#v", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "lockdep upload to "+url+" failed: daemon not running: ") || !strings.Contains(msg, "connection refused") || strings.Contains(msg, "\n") {
		t.Errorf("Send: %q", msg)
	}
}

func TestSendTimeout(t *testing.T) {
	block := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer hs.Close()
	defer close(block)
	t.Setenv(EnvTimeout, "100ms")
	start := time.Now()
	err := Send(hs.URL, []byte("{}"))
	if err == nil || !strings.Contains(err.Error(), "no answer within 100ms (LOCKDEP_DAEMON_TIMEOUT)") {
		t.Errorf("Send: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %v", d)
	}
}

// TestSendOneLineMessage: whatever the server answers, the error is one
// bounded line.
func TestSendOneLineMessage(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html>\n<body>\x1b[31m"+strings.Repeat("proxy says no ", 100)+"</body>\n</html>\n")
	}))
	defer hs.Close()
	err := Send(hs.URL, []byte("{}"))
	if err == nil || strings.ContainsAny(err.Error(), "\n\x1b") || len(err.Error()) > 400 || !strings.Contains(err.Error(), "refused: 502 Bad Gateway: <html> <body>?[31mproxy says no") {
		t.Errorf("Send: %q", err)
	}
}

// bigUpload is an upload of n edges between 2000 classes, each edge with a
// 32-frame stack: about 4.7 KiB of JSON per edge.
func bigUpload(n int) *reports.Upload {
	u := &reports.Upload{Schema: reports.MinSchemaVersion, Identity: reports.Identity{Binary: "cache.test", Host: "h", PID: 42, Start: time.Unix(42, 0).UTC()}}
	const classes = 2000
	for i := range classes {
		u.Classes = append(u.Classes, reports.Class{Name: fmt.Sprintf("example.com/cache.(*shard).mu#%d", i)})
	}
	for i := range n {
		st := make([]reports.Frame, 32)
		for j := range st {
			k := (i*3 + j*17) % 400
			st[j] = reports.Frame{Function: fmt.Sprintf("example.com/cache.(*Cache).func%d", k), File: fmt.Sprintf("/home/ci/src/example.com/cache/shard%d.go", k%20), Line: 10 + 3*k}
		}
		from, to := i%classes, (i%classes+1+i/classes)%classes
		u.Edges = append(u.Edges, reports.Edge{From: u.Classes[from].Name, To: u.Classes[to].Name, Types: "-(EN)->", Count: uint64(i%97 + 1), Stack: st})
	}
	return u
}

// TestFlushTrimsBigGraph: a graph over MaxBytes is trimmed to fit, sent
// compressed, and saved as sent.
func TestFlushTrimsBigGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 40 MiB upload")
	}
	var got *reports.Upload
	var wire int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wire = r.ContentLength
		zr, err := gzip.NewReader(r.Body)
		if err == nil {
			got, err = reports.Decode(zr, reports.Limits{})
		}
		if err != nil {
			http.Error(w, err.Error(), 400)
		}
	}))
	defer hs.Close()
	dir := t.TempDir()
	t.Setenv(EnvDaemon, hs.URL)
	t.Setenv(EnvSaveDir, dir)
	// The test is about trimming, not time: decoding 32 MiB under the
	// race detector on a loaded machine took over the default 5s.
	t.Setenv(EnvTimeout, "2m")
	u := bigUpload(10000)
	before := u.EncodedSize()
	if before <= MaxBytes {
		t.Fatalf("test upload is only %s", reports.MiB(before))
	}
	if err := flush(u); err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got.Edges) != 10000 || got.Schema != 2 || !strings.Contains(got.Trimmed, "to fit 32 MiB: edge stacks cut to") {
		t.Fatalf("daemon got %d edges, schema %d, note %q", len(got.Edges), got.Schema, got.Trimmed)
	}
	t.Logf("%s of JSON trimmed to %s, sent as %s: %s", reports.MiB(before), reports.MiB(got.EncodedSize()), reports.MiB(wire), got.Trimmed)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("saved %v", files)
	}
	saved, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	reports.Encode(&buf, got)
	if !bytes.Equal(saved, buf.Bytes()) {
		t.Errorf("the saved file is not the upload sent")
	}
}

// TestFlushRefusesWhatCannotFit: too many edges even without stacks; the
// upload is not sent, and the error says why on one line, with the save
// error if any.
func TestFlushRefusesWhatCannotFit(t *testing.T) {
	sent := false
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent = true }))
	defer hs.Close()
	t.Setenv(EnvDaemon, hs.URL)
	t.Setenv(EnvSaveDir, filepath.Join(t.TempDir(), "missing"))
	u := bigUpload(0)
	u.Classes = nil
	for i := range 8000 { // long names: 20,000 edges are 40 MiB without stacks
		u.Classes = append(u.Classes, reports.Class{Name: fmt.Sprintf("%01000d", i)})
	}
	for i := range 20000 {
		u.Edges = append(u.Edges, reports.Edge{From: u.Classes[i%8000].Name, To: u.Classes[(i%8000+1+i/8000)%8000].Name, Types: "-(EN)->", Count: 1,
			Stack: []reports.Frame{{Function: "f", File: "f.go", Line: i}}})
	}
	err := flush(u)
	if sent || !errors.Is(err, reports.ErrTooLarge) || strings.Contains(err.Error(), "\n") ||
		!strings.Contains(err.Error(), "lockdep upload to "+hs.URL+" not sent: upload too large: still ") ||
		!strings.Contains(err.Error(), "no such file or directory") {
		t.Errorf("sent %v, flush: %v", sent, err)
	}
}

// BenchmarkFitShardedCache measures a sharded cache's graph: 7,000
// classes and 60,000 edges with 32-frame stacks; raw and gzip sizes of its
// JSON, and what Fit makes of it.
func BenchmarkFitShardedCache(b *testing.B) {
	u := bigUpload(0)
	u.Classes = nil
	for i := range 7000 {
		u.Classes = append(u.Classes, reports.Class{Name: fmt.Sprintf("github.com/golockdep/lockdep/cache.(*shard).mu#%d", i), Key: fmt.Sprintf("shardKey%d", i)})
	}
	big := bigUpload(60000)
	seen := map[[2]string]bool{}
	for i, e := range big.Edges {
		e.From, e.To = u.Classes[i%7000].Name, u.Classes[(i*7+1+i/7000)%7000].Name
		if e.From != e.To && !seen[[2]string{e.From, e.To}] {
			seen[[2]string{e.From, e.To}] = true
			u.Edges = append(u.Edges, e)
		}
	}
	var raw bytes.Buffer
	if err := reports.Encode(&raw, u); err != nil {
		b.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	zw.Write(raw.Bytes())
	zw.Close()
	edges, rawMiB, gzMiB := float64(len(u.Edges)), float64(raw.Len())/(1<<20), float64(gz.Len())/(1<<20)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := *u
		c.Edges = append([]reports.Edge(nil), u.Edges...)
		if err := c.Fit(MaxBytes); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		raw.Reset()
		gz.Reset()
		reports.Encode(&raw, &c)
		zw.Reset(&gz)
		zw.Write(raw.Bytes())
		zw.Close()
		b.ReportMetric(float64(raw.Len())/(1<<20), "trimmed-MiB")
		b.ReportMetric(float64(gz.Len())/(1<<20), "trimmed-gzip-MiB")
		b.Log(c.Trimmed)
		b.StartTimer()
	}
	b.ReportMetric(edges, "edges")
	b.ReportMetric(rawMiB, "raw-MiB")
	b.ReportMetric(gzMiB, "gzip-MiB")
}

// TestSendFallsBackToPlain: a daemon that reads only plain JSON (an older
// lockdepd) refuses the compressed body and gets it again as it is; one
// that says it takes gzip is not asked twice.
func TestSendFallsBackToPlain(t *testing.T) {
	for _, takesGzip := range []bool{false, true} {
		var encodings []string
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			encodings = append(encodings, r.Header.Get("Content-Encoding"))
			if takesGzip {
				w.Header().Set("Accept-Encoding", "gzip")
			}
			if _, err := reports.Decode(r.Body, reports.Limits{}); err != nil {
				http.Error(w, "lockdepd: "+err.Error(), http.StatusBadRequest)
			}
		}))
		err := Send(hs.URL, encodedUpload(t))
		hs.Close()
		want := []string{"gzip", ""}
		if takesGzip {
			want = want[:1]
		}
		if !reflect.DeepEqual(encodings, want) || (err == nil) != !takesGzip {
			t.Errorf("daemon takes gzip %v: sent %q, %v", takesGzip, encodings, err)
		}
		if takesGzip && (err == nil || !strings.Contains(err.Error(), "refused: 400 Bad Request: malformed upload: invalid character")) {
			t.Errorf("Send: %v", err)
		}
	}
}

func encodedUpload(t testing.TB) []byte {
	t.Helper()
	u := bigUpload(3)
	var buf bytes.Buffer
	if err := reports.Encode(&buf, u); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSendNotHTTP: the built-in client reaches plain-HTTP daemons only, and
// says so in one line for any other URL.
func TestSendNotHTTP(t *testing.T) {
	for _, u := range []string{"https://127.0.0.1:1", "127.0.0.1:7078", "ftp://x"} {
		err := Send(u, []byte("{}"))
		if err == nil || !strings.Contains(err.Error(), "http://") || strings.Contains(err.Error(), "\n") {
			t.Errorf("Send(%q) = %v, want one line saying the URL must be http://", u, err)
		}
	}
}
