package daemon_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromiumPath is Debian's chromium; LOCKDEP_CHROMIUM overrides it.
func chromiumPath() string {
	if p := os.Getenv("LOCKDEP_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// chromium runs headless Chromium with args and returns its standard
// output.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir=" + filepath.Join(tmp, "profile")}
	cmd := exec.CommandContext(ctx, chromiumPath(), append(base, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// TestBrowser opens the daemon's page in headless Chromium and finds the
// cycle drawn as SVG: both classes as nodes, both edges with their types,
// and the stacks behind a click.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath()); err != nil {
		t.Skipf("no headless browser at %s (apt-get install chromium, or set LOCKDEP_CHROMIUM): %v", chromiumPath(), err)
	}
	d := startDaemon(t, t.TempDir())
	for _, b := range [][]byte{encoded(t, "transfer.test", 11, "accounts->ledger"), encoded(t, "audit.test", 22, "ledger->accounts")} {
		if code, msg, err := d.post(b); err != nil || code != 200 {
			t.Fatalf("upload: %d %s %v", code, msg, err)
		}
	}
	dom := string(chromium(t, "--dump-dom", d.url+"/"))
	svgs := regexp.MustCompile(`(?s)<svg class="cycle".*?</svg>`).FindAllString(dom, -1)
	if len(svgs) != 1 {
		t.Fatalf("the page as Chromium parsed it has %d cycle pictures, want 1:\n%s", len(svgs), dom)
	}
	svg := svgs[0]
	for _, want := range []string{">accounts</text>", ">ledger</text>", ">-(EN)-&gt;</text>", "<path", "marker-end"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the cycle's SVG lacks %q:\n%s", want, svg)
		}
	}
	if strings.Count(svg, `<g class="dep">`) != 2 || strings.Count(svg, `<g class="class">`) != 2 {
		t.Errorf("want 2 classes and 2 dependencies in the SVG:\n%s", svg)
	}
	for _, want := range []string{"Runs received: 2", "transfer.test", "audit.test", `<details class="stack">`, "example.com/audit.test.f"} {
		if !strings.Contains(dom, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// A screenshot, for people to look at (kept when -test.v is given
	// and LOCKDEP_SCREENSHOT names a file).
	shot := filepath.Join(t.TempDir(), "page.png")
	if p := os.Getenv("LOCKDEP_SCREENSHOT"); p != "" {
		shot = p
	}
	chromium(t, "--screenshot="+shot, "--window-size=1200,1400", "--hide-scrollbars", d.url+"/")
	png, err := os.ReadFile(shot)
	if err != nil || len(png) < 1000 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("screenshot: %v, %d bytes", err, len(png))
	}
}
