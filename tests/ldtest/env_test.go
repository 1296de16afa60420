package ldtest

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestBaseline: LOCKDEP_BASELINE reaches the test binaries and the
// summary: a baseline recorded with LOCKDEP_BASELINE_WRITE accepts the
// reports it recorded, the cycle across binaries included.
func TestBaseline(t *testing.T) {
	bin := lockdepd(t)
	dir := module(t)
	tmp := t.TempDir()
	base := filepath.Join(t.TempDir(), "baseline.json")
	pkgs := []string{"./bank", "./swap", "./crossa", "./crossb"}
	out, code := run(t, dir, env(tmp, "LOCKDEP_BASELINE_WRITE="+base), append([]string{bin, "test", "-count=1"}, pkgs...)...)
	if code != 0 {
		t.Fatalf("recording the baseline: status %d:\n%s", code, out)
	}
	out, code = run(t, dir, env(tmp, "LOCKDEP_BASELINE="+base), append([]string{bin, "test", "-count=1"}, pkgs...)...)
	if code != 0 {
		t.Errorf("checked against the baseline it recorded: status %d:\n%s", code, out)
	}
	if _, code = run(t, dir, env(tmp), append([]string{bin, "test", "-count=1"}, pkgs...)...); code != 1 {
		t.Errorf("without the baseline: status %d, want 1", code)
	}
}

// TestDaemon: with LOCKDEP_DAEMON set, every test binary uploads its graph.
func TestDaemon(t *testing.T) {
	bin := lockdepd(t)
	dir := module(t)
	var uploads atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/upload") {
			uploads.Add(1)
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	out, code := run(t, dir, env(t.TempDir(), "LOCKDEP_DAEMON="+srv.URL), bin, "test", "-count=1", "./tree", "./clean")
	if code != 0 {
		t.Fatalf("status %d:\n%s", code, out)
	}
	if n := uploads.Load(); n != 2 {
		t.Errorf("%d uploads, want one per test binary (2):\n%s", n, out)
	}
}
