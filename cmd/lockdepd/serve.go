package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/golockdep/lockdep/cmd/lockdepd/internal/daemon"
	"github.com/golockdep/lockdep/reports"
	"github.com/golockdep/lockdep/reports/render"
)

func init() {
	// A re-executed lockdepd that is to check a store does only that.
	daemon.RunStoreCheck()
	register(&command{name: "serve", summary: "collect lock graphs from test binaries over HTTP and serve the merged reports", run: runServe})
}

// defaultDataDir is lockdepd under the user's cache directory.
func defaultDataDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "lockdepd")
}

// runServe runs the daemon until SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, stdout, stderr)
}

// serve runs the daemon until ctx is done.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:7077", "listen `address`; beyond loopback a token is required")
	data := fs.String("data", defaultDataDir(), "`directory` of the upload store")
	tokenFile := fs.String("token-file", "", "`file` holding the bearer token clients must send (LOCKDEP_DAEMON_TOKEN_FILE on their side)")
	maxUpload := fs.Int64("max-upload", reports.MaxUploadBytes>>20, "largest upload accepted, in `MiB`, both as sent and, if gzip-compressed, decompressed")
	maxUploads := fs.Int("max-uploads", daemon.DefaultMaxUploads, "at most `N` uploads read at once; more wait up to 3s, then get 429 with Retry-After")
	maxConns := fs.Int("max-conns", daemon.DefaultMaxConns, "at most `N` connections held open at once")
	maxRuns := fs.Int("max-runs", daemon.DefaultMaxRuns, "keep at most `N` uploads; the oldest are deleted beyond it")
	maxAge := fs.Duration("max-age", 0, "delete uploads older than this `duration` (0: keep)")
	maxStore := fs.Int64("max-store", daemon.DefaultMaxStoreBytes>>20, "uploads' JSON kept, in `MiB`; the oldest are deleted beyond it")
	var hosts hostList
	fs.Var(&hosts, "host", "a further `name` clients may use in the Host header (repeatable); loopback and the -addr host are always allowed")
	var page render.PageOptions
	fs.StringVar(&page.SourceURL, "source-url", "", "link the web page's stack lines to source: a URL `template` with {path} and {line}, e.g. 'https://example.com/repo/blob/main/{path}#L{line}'")
	fs.StringVar(&page.SourceTrim, "source-trim", "", "`prefix` (the checkout directory) removed from file paths for {path}; files outside it are not linked")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lockdepd serve [-addr 127.0.0.1:7077] [-data DIR] [-token-file FILE] [-host NAME] [-max-upload MiB]")
		fmt.Fprintln(stderr, "                      [-source-url TEMPLATE [-source-trim DIR]]")
		fmt.Fprintln(stderr, "                      [-max-uploads N] [-max-conns N] [-max-runs N] [-max-age D] [-max-store MiB]")
		fmt.Fprintln(stderr, "\nReceives lock graphs posted by test binaries run with LOCKDEP_DAEMON=http://ADDR,")
		fmt.Fprintln(stderr, "stores them durably in DIR, and serves the merged graph's reports at http://ADDR/.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *maxUpload <= 0 || *maxUpload > 1<<20 {
		fmt.Fprintf(stderr, "serve: -max-upload %d: want 1 to %d MiB\n", *maxUpload, 1<<20)
		return 2
	}
	for _, b := range []struct {
		name string
		v    int64
	}{{"max-uploads", int64(*maxUploads)}, {"max-conns", int64(*maxConns)}, {"max-runs", int64(*maxRuns)}, {"max-store", *maxStore}} {
		if b.v <= 0 {
			fmt.Fprintf(stderr, "serve: -%s %d: want a positive number\n", b.name, b.v)
			return 2
		}
	}
	if *maxAge < 0 {
		fmt.Fprintf(stderr, "serve: -max-age %v: want a positive duration, or 0 to keep uploads of any age\n", *maxAge)
		return 2
	}
	if err := page.Check(); err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 2
	}
	var token string
	if *tokenFile != "" {
		var err error
		if token, err = readToken(*tokenFile); err != nil {
			fmt.Fprintf(stderr, "serve: %v\n", err)
			return 1
		}
	}
	if err := daemon.CheckAddr(*addr, token); err != nil {
		fmt.Fprintf(stderr, "serve: %s\n", strings.TrimPrefix(err.Error(), "lockdepd: "))
		return 1
	}
	srv, err := daemon.New(daemon.Config{DataDir: *data, Token: token, Log: stderr, Addr: *addr, HostNames: hosts,
		Limits: reports.Limits{MaxBytes: *maxUpload << 20}, MaxUploads: *maxUploads,
		MaxRuns: *maxRuns, MaxAge: *maxAge, MaxStoreBytes: *maxStore << 20, Page: page})
	if err != nil {
		fmt.Fprintf(stderr, "serve: %s\n", strings.TrimPrefix(err.Error(), "lockdepd: "))
		return 1
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "serve: %s\n", strings.TrimPrefix(err.Error(), "lockdepd: "))
		return 1
	}
	hs := daemon.NewHTTPServer(srv.Handler(), daemon.BodyTimeout(*maxUpload<<20))
	done := make(chan error, 1)
	go func() { done <- hs.Serve(daemon.LimitListener(ln, *maxConns)) }()
	fmt.Fprintf(stdout, "lockdepd: serving %d upload(s) from %s on http://%s/\n", srv.Count(), *data, ln.Addr())
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "serve: %s\n", strings.TrimPrefix(err.Error(), "lockdepd: "))
		return 1
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "serve: shutdown: %s\n", strings.TrimPrefix(err.Error(), "lockdepd: "))
	}
	return 0
}
