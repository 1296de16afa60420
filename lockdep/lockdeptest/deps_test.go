package lockdeptest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksNoWebStack: a test binary that imports only locks and
// lockdeptest links no HTTP server or client library, no TLS and no
// templates (the uploader speaks HTTP over package net itself).
func TestLinksNoWebStack(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command("go", "list", "-deps",
		"github.com/golockdep/lockdep/locks", "github.com/golockdep/lockdep/lockdep/lockdeptest").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		switch p {
		case "net/http", "crypto/tls", "html/template", "text/template", "github.com/google/pprof/profile":
			t.Errorf("links %s", p)
		}
	}
}
