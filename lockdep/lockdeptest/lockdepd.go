package lockdeptest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/golockdep/lockdep/reports"
)

// Support for "lockdepd test", which builds every test binary of a module
// with a generated TestMain that calls Main. A package's own TestMain is
// kept under another name and called by Main, with each of its m.Run()
// calls rewritten to RunM(m), so that the lock checks compose with its
// setup and teardown whether it calls os.Exit or returns.

// EnvSummaryDir names the directory where RunM writes the binary's graph
// for lockdepd test's summary line. It is read with syscall.Getenv and the
// file written with syscall calls, out of sight of go test's record of the
// environment and files a test uses: the directory changes on every run
// and must not make go test's cached results stale.
const EnvSummaryDir = "LOCKDEPD_SUMMARY_DIR"

var (
	mainPkg    string       // the tested package's import path, from Main
	ranCode    atomic.Int64 // 1 + the code of the last RunM; 0 if none ran
	summarySeq atomic.Int64 // numbers the summary files of one process
)

// Main is the TestMain that lockdepd test generates: it runs the tests
// with RunM and exits with its code. user is the package's own TestMain,
// or nil; if it returns (instead of calling os.Exit), Main exits with the
// code of the last RunM it made, or returns if it ran no tests, so that
// package testing exits as it would have.
func Main(m *testing.M, pkg string, user func(*testing.M)) {
	mainPkg = pkg
	if user == nil {
		os.Exit(RunM(m))
	}
	user(m)
	if c := ranCode.Load(); c > 0 {
		os.Exit(int(c - 1))
	}
}

// RunM is Run for a binary built by lockdepd test: Run, then the graph is
// written for the summary line (see EnvSummaryDir).
func RunM(m TestingM) int {
	code := Run(m)
	ranCode.Store(int64(code) + 1)
	if dir := summaryDir(); dir != "" {
		if err := writeSummary(dir); err != nil {
			fmt.Fprintf(os.Stderr, "lockdep: summary for lockdepd test: %v\n", err)
		}
	}
	return code
}

// WrapM returns a value whose Run is RunM(m), for a TestMain helper that
// takes an interface with only Run() int, so that the helper runs the
// tests, and exits with their code, through the lock checks:
//
//	func TestMain(m *testing.M) { goleak.VerifyTestMain(lockdeptest.WrapM(m)) }
//
// lockdepd test passes it in place of m to such helpers by itself.
func WrapM(m TestingM) TestingM { return wrappedM{m} }

type wrappedM struct{ m TestingM }

func (w wrappedM) Run() int { return RunM(w.m) }

func summaryDir() string {
	dir, _ := syscall.Getenv(EnvSummaryDir)
	return dir
}

// maxSummaryBytes bounds the graph a binary writes for the summary.
const maxSummaryBytes = 16 << 20

func writeSummary(dir string) error {
	id := reports.Self()
	if mainPkg != "" {
		id.Package = mainPkg
	}
	u := reports.FromValidator(ld.Default(), id)
	u.Fit(maxSummaryBytes) // trimmed stacks first; the counts stay
	var buf bytes.Buffer
	if err := reports.Encode(&buf, u); err != nil {
		return err
	}
	name := filepath.Join(dir, fmt.Sprintf("%s-%d-%d.json", id.Binary, id.PID, summarySeq.Add(1)))
	return writeUntracked(name, buf.Bytes())
}
