// Package daemon_test runs lockdepd end to end: the real daemon binary on
// a loopback port, real test binaries uploading to it, SIGKILL and
// restart, bad input, and the web page in headless Chromium.
package daemon_test

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir holds the binaries built once for all tests.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lockdepd-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	flag.Parse() // for testing.Verbose
	sayBrowserSkips()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	buildMu  sync.Mutex
	built    = map[string]string{}
	buildErr = map[string]error{}
)

// build compiles a binary once: the lockdepd command ("lockdepd") or a
// subject test package under testdata (its directory name).
func build(t testing.TB, name string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := built[name]; ok {
		return p
	}
	if err, ok := buildErr[name]; ok {
		t.Fatal(err)
	}
	out := filepath.Join(binDir, name)
	var cmd *exec.Cmd
	if name == "lockdepd" {
		cmd = exec.Command("go", "build", "-o", out, "github.com/golockdep/lockdep/cmd/lockdepd")
	} else {
		out += ".test"
		cmd = exec.Command("go", "test", "-c", "-o", out, "github.com/golockdep/lockdep/tests/daemon/testdata/"+name)
	}
	if msg, err := cmd.CombinedOutput(); err != nil {
		buildErr[name] = fmt.Errorf("building %s: %v\n%s", name, err, msg)
		t.Fatal(buildErr[name])
	}
	built[name] = out
	return out
}

// daemon is a running lockdepd.
type daemon struct {
	cmd    *exec.Cmd
	url    string        // http://127.0.0.1:PORT
	stderr *lockedWriter // the daemon's standard error; read it with String
	done   chan struct{}
}

// startDaemon runs "lockdepd serve" on a free loopback port with the data
// directory dir and extra flags, and waits until it listens. The daemon
// is killed when the test ends.
func startDaemon(t testing.TB, dir string, flags ...string) *daemon {
	t.Helper()
	bin := build(t, "lockdepd")
	args := append([]string{"serve", "-addr", "127.0.0.1:0", "-data", dir}, flags...)
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	d := &daemon{cmd: cmd, stderr: &lockedWriter{}, done: make(chan struct{})}
	cmd.Stderr = d.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(d.done) }()
	t.Cleanup(func() { d.kill() })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line, ok := <-lines:
		i := strings.Index(line, "http://")
		if !ok || i < 0 {
			t.Fatalf("lockdepd did not start: %q\n%s", line, d.stderr)
		}
		d.url = strings.TrimSuffix(line[i:], "/")
	case <-time.After(20 * time.Second):
		t.Fatalf("lockdepd did not start in 20s\n%s", d.stderr)
	}
	return d
}

// kill sends SIGKILL and waits for the process to go.
func (d *daemon) kill() {
	d.cmd.Process.Signal(syscall.SIGKILL)
	<-d.done
}

// lockedWriter collects a child's output, written by exec's copying
// goroutine while the test reads it.
type lockedWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var client = &http.Client{Timeout: 20 * time.Second}

func (d *daemon) get(t testing.TB, path string) (int, []byte) {
	t.Helper()
	resp, err := client.Get(d.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (d *daemon) post(body []byte, header ...string) (int, string, error) {
	req, err := http.NewRequest("POST", d.url+"/api/v1/upload", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}
