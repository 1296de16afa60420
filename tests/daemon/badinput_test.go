package daemon_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/internal/uploadtest"
	"github.com/golockdep/lockdep/reports"
)

// TestBadInputs posts every kind of bad upload to the real daemon: each
// gets its 4xx and a message, and nothing is stored.
func TestBadInputs(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	good := uploadtest.Encoded(t, "good.test", 1, "A->B")
	if code, msg, err := d.post(good); err != nil || code != 200 {
		t.Fatalf("good upload: %d %s %v", code, msg, err)
	}
	with := func(f func(m map[string]any)) []byte {
		var m map[string]any
		json.Unmarshal(good, &m)
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	classes := func(n int) []any {
		cs := make([]any, n)
		for i := range cs {
			cs[i] = map[string]any{"name": fmt.Sprint("c", i), "subclass": 0}
		}
		return cs
	}
	for _, tc := range []struct {
		name string
		body []byte
		code int
		msg  string
	}{
		{"malformed JSON", []byte(`{"schema": 1, "identity": `), 400, "malformed upload"},
		{"not JSON", []byte("GET / HTTP/1.0"), 400, "malformed upload"},
		{"wrong schema version", with(func(m map[string]any) { m["schema"] = 7 }), 400, "unsupported schema version: schema 7"},
		{"missing schema version", with(func(m map[string]any) { delete(m, "schema") }), 400, "no \"schema\" field"},
		{"unknown field", with(func(m map[string]any) { m["extra"] = 1 }), 400, `unknown field "extra"`},
		{"oversized body", bytes.Repeat([]byte{' '}, reports.MaxUploadBytes+1), 413, "upload too large"},
		{"absurd class count", with(func(m map[string]any) { m["classes"] = classes(reports.DefaultLimits.MaxClasses + 1) }), 422, "8193 classes"},
		{"control characters in a name", with(func(m map[string]any) {
			m["classes"].([]any)[0].(map[string]any)["name"] = "A\r\nInjected: yes"
		}), 422, "control character"},
		{"edge to an unknown class", with(func(m map[string]any) {
			m["edges"].([]any)[0].(map[string]any)["to"] = "Nowhere"
		}), 422, "not in classes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, msg, err := d.post(tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if code != tc.code || !strings.Contains(msg, tc.msg) {
				t.Errorf("got %d %q, want %d and %q", code, msg, tc.code, tc.msg)
			}
		})
	}
	_, body := d.get(t, "/api/v1/uploads")
	var list []any
	if err := json.Unmarshal(body, &list); err != nil || len(list) != 1 {
		t.Errorf("after the bad uploads the daemon holds %d uploads (%v), want 1", len(list), err)
	}
}

// TestToken: with a token file every request needs the token, and a
// non-loopback address without one is refused at start.
func TestToken(t *testing.T) {
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	os.WriteFile(tok, []byte("e2e-secret\n"), 0o600)
	d := startDaemon(t, filepath.Join(dir, "data"), "-token-file", tok)
	body := uploadtest.Encoded(t, "a.test", 1, "A->B")
	if code, _, _ := d.post(body); code != 401 {
		t.Errorf("upload without token: %d, want 401", code)
	}
	if code, msg, _ := d.post(body, "Authorization", "Bearer e2e-secret"); code != 200 {
		t.Errorf("upload with token: %d %s", code, msg)
	}
	out, err := exec.Command(build(t, "lockdepd"), "serve", "-addr", "0.0.0.0:0", "-data", filepath.Join(dir, "other")).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "needs a bearer token") {
		t.Errorf("serve on 0.0.0.0 without a token: %v\n%s", err, out)
	}
}
