package daemon_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/internal/uploadtest"
)

// chromiumPath is Debian's chromium; LOCKDEP_CHROMIUM overrides it.
func chromiumPath() string {
	if p := os.Getenv("LOCKDEP_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// noBrowser says why the browser tests skip, or "" if they run.
func noBrowser() string {
	if _, err := os.Stat(chromiumPath()); err != nil {
		return fmt.Sprintf("no headless browser at %s (apt-get install chromium, or set LOCKDEP_CHROMIUM): %v", chromiumPath(), err)
	}
	return ""
}

func requireBrowser(t *testing.T) {
	if why := noBrowser(); why != "" {
		t.Skip(why)
	}
}

// sayBrowserSkips prints one line when the browser tests will skip. go
// test shows a passing test binary's output only with -v, so without -v
// the line goes to the terminal (/dev/tty) when there is one; CI, which
// has none, prints its own line (.ci/run).
func sayBrowserSkips() {
	why := noBrowser()
	if why == "" {
		return
	}
	line := "tests/daemon: TestBrowser and TestBrowserLayout skip: " + why + "\n"
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			tty.WriteString(line)
			tty.Close()
			return
		}
	}
	os.Stderr.WriteString(line)
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
	requireBrowser(t)
	d := startDaemon(t, t.TempDir())
	for _, b := range [][]byte{uploadtest.Encoded(t, "transfer.test", 11, "accounts->ledger"), uploadtest.Encoded(t, "audit.test", 22, "ledger->accounts")} {
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
