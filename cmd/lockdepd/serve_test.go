package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeRefuses(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	// Finding 6 of issue 13: a token others can read, or one with
	// control characters, is refused with how to fix it.
	open := filepath.Join(dir, "open")
	os.WriteFile(open, []byte("s3cret\n"), 0o600)
	os.Chmod(open, 0o644)
	ctl := filepath.Join(dir, "ctl")
	os.WriteFile(ctl, []byte("s3\x1bcret\n"), 0o600)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-addr", "0.0.0.0:0", "-data", dir}, 1, "needs a bearer token"},
		{[]string{"-addr", ":0", "-data", dir}, 1, "needs a bearer token"},
		{[]string{"-token-file", empty, "-data", dir}, 1, "is empty"},
		{[]string{"-token-file", open, "-data", dir}, 1, "chmod 600 " + open},
		{[]string{"-token-file", ctl, "-data", dir}, 1, "control or space character (U+001B)"},
		{[]string{"-max-uploads", "0", "-data", dir}, 2, "-max-uploads 0: want a positive number"},
		{[]string{"-max-age", "-1h", "-data", dir}, 2, "-max-age -1h0m0s"},
		{[]string{"-host", "a/b", "-data", dir}, 2, "not a host name"},
		{[]string{"-token-file", filepath.Join(dir, "missing"), "-data", dir}, 1, "no such file"},
		{[]string{"-bogus"}, 2, "not defined"},
		{[]string{"extra"}, 2, "unexpected argument"},
		{[]string{"-max-upload", "0", "-data", dir}, 2, "-max-upload 0: want 1 to"},
		{[]string{"-source-url", "example.com/{line}", "-data", dir}, 2, "has no {path}; the source URL template"},
		{[]string{"-source-trim", "/src", "-data", dir}, 2, "without a source URL template"},
	} {
		var out, errb strings.Builder
		code := serve(context.Background(), tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.msg) {
			t.Errorf("serve %v: %d %q, want %d and %q", tc.args, code, errb.String(), tc.code, tc.msg)
		}
	}
}

func TestServeRunsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, []string{"-addr", "127.0.0.1:0", "-data", t.TempDir()}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("no address in %q", line)
	}
	url := strings.TrimSpace(line[i:])
	resp, err := http.Get(url + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("healthz: %s", resp.Status)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}
