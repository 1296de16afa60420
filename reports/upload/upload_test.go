package upload

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/reports"
)

func TestFlushOffDoesNothing(t *testing.T) {
	t.Setenv(EnvDaemon, "")
	t.Setenv(EnvSaveDir, "")
	if Enabled() {
		t.Fatal("enabled with no environment")
	}
	if err := Flush(nil); err != nil { // nil: the validator is not even looked at
		t.Fatal(err)
	}
}

func TestFlushSendsWithToken(t *testing.T) {
	var auth string
	var got *reports.Upload
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		if r.Header.Get("Content-Encoding") != "gzip" {
			http.Error(w, "not gzip", http.StatusUnsupportedMediaType)
			return
		}
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		u, err := reports.Decode(zr, reports.Limits{})
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		got = u
		json.NewEncoder(w).Encode(map[string]int{"id": 1})
	}))
	defer hs.Close()
	tok := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tok, []byte("abc\n"), 0o600)
	t.Setenv(EnvDaemon, hs.URL+"/")
	t.Setenv(EnvTokenFile, tok)
	t.Setenv(EnvSaveDir, "")
	v := lockdep.MustNew(lockdep.Options{})
	var ka, kb lockdep.Key
	a, b := v.NewMap("A", &ka), v.NewMap("B", &kb)
	a.Acquire(0, lockdep.Exclusive)
	b.Acquire(0, lockdep.Exclusive)
	b.Release()
	a.Release()
	if err := v.Flush(); err != nil {
		t.Fatal(err)
	}
	if auth != "Bearer abc" {
		t.Errorf("Authorization %q", auth)
	}
	if got == nil || lockdep.Enabled && (len(got.Edges) != 1 || got.Edges[0].From != "A") {
		t.Errorf("upload %+v", got)
	}
}

func TestSendReportsRefusal(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		http.Error(w, "lockdepd: unsupported schema version", http.StatusBadRequest)
	}))
	defer hs.Close()
	err := Send(hs.URL, []byte("{}"))
	if err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "unsupported schema") {
		t.Errorf("Send: %v", err)
	}
	t.Setenv(EnvTimeout, "soon")
	if err := Send(hs.URL, []byte("{}")); err == nil || !strings.Contains(err.Error(), EnvTimeout) {
		t.Errorf("Send with a bad timeout: %v", err)
	}
}

// BenchmarkFlushOff is the cost of Flush with no daemon configured: two
// environment lookups.
func BenchmarkFlushOff(b *testing.B) {
	b.Setenv(EnvDaemon, "")
	b.Setenv(EnvSaveDir, "")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := Flush(nil); err != nil {
			b.Fatal(err)
		}
	}
}
