package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/golockdep/lockdep/cmd/lockdepd/internal/rewrite"
)

// lockdepd test: go test with every sync.Mutex and sync.RWMutex of the
// module validated, in the class of its declaration, and its channel
// operations, WaitGroup, Once and Cond validated as waits, without
// touching the module's files. The steps: go list the packages and their tests; analyse
// each package of the module (package rewrite; cached by content); plan and
// write the rewritten copies and a TestMain per test binary into a
// temporary directory; run go test with -overlay (and, outside this
// repository, a temporary -modfile that brings in the validator: see
// test_module.go); print a summary from the graphs the binaries wrote.

func init() {
	register(&command{
		name:    "test",
		summary: "go test with every sync.Mutex and sync.RWMutex validated, a class per declaration, and channels, WaitGroup, Once and Cond as waits",
		run:     runTest,
	})
}

// session is one run of lockdepd test.
type session struct {
	args           *testArgs
	stdout, stderr io.Writer
	ctx            context.Context
	dir            string   // where go runs (-C)
	goEnv          []string // the go command's environment
	env            *goEnv
	tmp            string // removed at the end
	cacheDir       string // "" when caching is off
	inTree         bool   // the module is this repository
	modDir         string // the embedded module's directory, outside this repository
	tmpModfile     string // the temporary go.mod, if the build uses one
	modArgs        []string

	mu    sync.Mutex
	child *os.Process // the running go test
}

func runTest(args []string, stdout, stderr io.Writer) int {
	ta, err := parseTestArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "lockdepd test: %v\n", err)
		return 2
	}
	if ta.help {
		testUsage(stdout)
		return 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &session{args: ta, stdout: stdout, stderr: stderr, ctx: ctx, dir: ta.dir, goEnv: os.Environ()}
	if s.dir == "" {
		s.dir = "."
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	var got os.Signal
	var gotMu sync.Mutex
	go func() {
		for sig := range sigs {
			gotMu.Lock()
			got = sig
			gotMu.Unlock()
			cancel()
			s.mu.Lock()
			if s.child != nil {
				signalGroup(s.child, sig)
			}
			s.mu.Unlock()
		}
	}()
	code := s.run()
	gotMu.Lock()
	defer gotMu.Unlock()
	if got != nil {
		fmt.Fprintf(stderr, "lockdepd test: interrupted (%v); temporary files removed\n", got)
		if got == syscall.SIGTERM {
			return 143
		}
		return 130
	}
	return code
}

func (s *session) warnf(format string, args ...any) {
	fmt.Fprintf(s.stderr, "lockdepd test: warning: "+format+"\n", args...)
}

func (s *session) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	d, _ := filepath.Abs(s.dir)
	return filepath.Join(d, p)
}

func (s *session) run() int {
	env, err := readGoEnv(s.ctx, s.dir, s.goEnv, s.stderr)
	if err != nil {
		fmt.Fprintf(s.stderr, "lockdepd test: %v\n", err)
		return 1
	}
	s.env = env
	if env.GOMOD == "" || env.GOMOD == os.DevNull {
		fmt.Fprintf(s.stderr, "lockdepd test: not in a module: run it in a directory with a go.mod (or below one); "+
			"go env GOMOD is %q\n", env.GOMOD)
		return 1
	}
	if versionLess(env.GOVERSION, "go1.22") {
		fmt.Fprintf(s.stderr, "lockdepd test: the validator needs Go 1.22 or later; go is %s\n", env.GOVERSION)
		return 1
	}
	if env.GOWORK != "" && env.GOWORK != "off" {
		fmt.Fprintf(s.stderr, "lockdepd test: workspace mode (%s) is not supported: run it with GOWORK=off\n", env.GOWORK)
		return 1
	}
	s.cacheDir = cacheDir()
	if s.tmp, err = os.MkdirTemp("", "lockdepd-test-"); err != nil {
		fmt.Fprintf(s.stderr, "lockdepd test: %v\n", err)
		return 1
	}
	defer func() {
		if s.args.keep {
			fmt.Fprintf(s.stderr, "lockdepd test: kept %s\n", s.tmp)
			return
		}
		os.RemoveAll(s.tmp)
	}()
	start := time.Now()
	if err := s.setupModule(); err != nil {
		return s.fail(err)
	}
	pr, err := s.prepare()
	if err != nil {
		return s.fail(err)
	}
	pr.took = time.Since(start)
	for _, w := range pr.plan.Warnings {
		s.warnf("%s", w)
	}
	code, err := s.goTest(pr.overlay)
	if err != nil {
		return s.fail(err)
	}
	if s.ctx.Err() != nil {
		return code
	}
	return s.summarize(code, pr)
}

func (s *session) fail(err error) int {
	if s.ctx.Err() == nil {
		fmt.Fprintf(s.stderr, "lockdepd test: %v\n", err)
	}
	return 1
}

// goTest runs go test on the overlay and returns its exit status.
func (s *session) goTest(overlay string) (int, error) {
	args := []string{"test"}
	args = append(args, s.modArgs...)
	args = append(args, "-overlay="+overlay)
	args = append(args, s.vetFlags()...)
	args = append(args, s.args.flags...)
	args = append(args, s.args.pkgs...)
	args = append(args, s.args.binArgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = s.dir
	cmd.Env = append(append([]string(nil), s.goEnv...), envSummaryDir+"="+filepath.Join(s.tmp, "summary"))
	cmd.Stdin = os.Stdin
	cmd.Stdout = s.stdout
	cmd.Stderr = s.stderr
	setProcessGroup(cmd)
	if err := os.MkdirAll(filepath.Join(s.tmp, "summary"), 0o755); err != nil {
		return 1, err
	}
	s.mu.Lock()
	if s.ctx.Err() != nil {
		s.mu.Unlock()
		return 1, nil
	}
	err := cmd.Start()
	if err == nil {
		s.child = cmd.Process
	}
	s.mu.Unlock()
	if err != nil {
		return 1, err
	}
	err = cmd.Wait()
	s.mu.Lock()
	s.child = nil
	s.mu.Unlock()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if c := ee.ExitCode(); c >= 0 {
			return c, nil
		}
		return 1, nil
	}
	return 0, err
}

// vetFlags turns go test's vet off before Go 1.24 unless the user set
// -vet: vet there does not see the files that exist only in the overlay
// (the generated TestMain), and fails every package ("vet: open
// ..._test.go: no such file or directory"; seen with 1.22.12, not with
// 1.24.10; 1.23 not tried).
func (s *session) vetFlags() []string {
	if !versionLess(s.env.GOVERSION, "go1.24") {
		return nil
	}
	for _, f := range s.args.flags {
		if strings.HasPrefix(strings.TrimLeft(f, "-"), "vet") {
			return nil
		}
	}
	s.warnf("go vet is off: %s's vet does not read the files the overlay adds (set -vet to override)", s.env.GOVERSION)
	return []string{"-vet=off"}
}

// envSummaryDir is lockdeptest.EnvSummaryDir (not imported: this command
// does not link the test support).
const envSummaryDir = "LOCKDEPD_SUMMARY_DIR"

// writeOverlay writes the rewritten files and the overlay that maps each
// original to its copy, merged with the user's own -overlay.
func (s *session) writeOverlay(user map[string]string, files map[string][]byte) (string, error) {
	dir := filepath.Join(s.tmp, "src")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	replace := map[string]string{}
	for k, v := range user {
		replace[k] = v
	}
	i := 0
	for orig, data := range files {
		i++
		p := filepath.Join(dir, fmt.Sprintf("%d-%s", i, filepath.Base(orig)))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return "", err
		}
		replace[orig] = p
	}
	b, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return "", err
	}
	p := filepath.Join(s.tmp, "overlay.json")
	return p, os.WriteFile(p, b, 0o644)
}

// readUserOverlay reads the -overlay file the user gave, if any.
func (s *session) readUserOverlay() (map[string]string, error) {
	if s.args.overlay == "" {
		return nil, nil
	}
	b, err := os.ReadFile(s.abs(s.args.overlay))
	if err != nil {
		return nil, err
	}
	var o struct{ Replace map[string]string }
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("-overlay %s: %v", s.args.overlay, err)
	}
	return o.Replace, nil
}

// source reads a file as the build sees it: through the user's overlay.
func source(user map[string]string) rewrite.Source {
	return func(p string) ([]byte, error) {
		if r, ok := user[p]; ok {
			if r == "" {
				return nil, fmt.Errorf("%s: deleted by the overlay", p)
			}
			return os.ReadFile(r)
		}
		return os.ReadFile(p)
	}
}
