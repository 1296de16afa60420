package daemon

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/internal/uploadtest"
)

// storeWith makes a store holding n uploads and returns its directory.
func storeWith(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	s, hs := newTestServer(t, dir, "")
	for i := 1; i <= n; i++ {
		mustPost(t, hs.URL, uploadtest.Encoded(t, "s.test", i, "A->B", "B->C"))
	}
	hs.Close()
	s.Close()
	return dir
}

// reopen starts a server on dir and returns it with what it logged.
func reopen(t *testing.T, dir string) (*Server, string) {
	t.Helper()
	var log bytes.Buffer
	s, err := New(Config{DataDir: dir, Log: &log})
	if err != nil {
		t.Fatalf("a damaged store stopped the daemon: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, log.String()
}

// Finding 3: a damaged store never crashes the daemon; it is kept aside,
// said, and what can be read of it recovered.
func TestAttackDamagedStore(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(data []byte) []byte
		all    bool // every upload must be recovered
	}{
		{"truncated to half", func(b []byte) []byte { return b[:len(b)/2] }, false},
		{"zero bytes", func(b []byte) []byte { return nil }, false},
		{"garbage pages", func(b []byte) []byte {
			for i := 2 * 4096; i < len(b); i++ {
				b[i] = byte(i * 7)
			}
			return b
		}, false},
		{"both meta pages broken", func(b []byte) []byte {
			for _, off := range []int{16, 4096 + 16} {
				copy(b[off:], "not a meta page")
			}
			return b
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 20
			dir := storeWith(t, n)
			path := filepath.Join(dir, DBName)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.damage(data), 0o600); err != nil {
				t.Fatal(err)
			}
			s, log := reopen(t, dir)
			t.Log(log)
			if !strings.Contains(log, "was damaged") || !strings.Contains(log, "kept as") {
				t.Errorf("no clear message about the damage; log:\n%s", log)
			}
			aside, _ := filepath.Glob(path + ".damaged-*")
			if len(aside) != 1 {
				t.Errorf("damaged file kept aside: %v", aside)
			}
			if tc.all && s.Count() != n {
				t.Errorf("%d uploads recovered, want all %d; log:\n%s", s.Count(), n, log)
			}
			_, hs := s, serveTest(t, s)
			mustPost(t, hs, uploadtest.Encoded(t, "after.test", 99, "A->B"))
		})
	}
}

func serveTest(t *testing.T, s *Server) string {
	t.Helper()
	hs := httptestServer(s)
	t.Cleanup(hs.Close)
	return hs.URL
}
