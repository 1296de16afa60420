// Package lockdeptest connects the lock validator to Go tests.
//
// Call Run (or VerifyTestMain) from TestMain to fail a test binary that
// made any lockdep report, and Check from a test to fail that test. Tests
// that provoke reports on purpose use Capture, which keeps them from the
// other two.
//
//	func TestMain(m *testing.M) { os.Exit(lockdeptest.Run(m)) }
//
// Run returns the exit code instead of exiting, so it composes with
// goleak and with teardown code:
//
//	func TestMain(m *testing.M) {
//		code := lockdeptest.Run(m)
//		teardown()
//		os.Exit(code)
//	}
//
// A test binary that links this package prints each report when it is
// made and keeps going; Run fails the binary at the end. A test binary that
// does not link it exits with status 1 at its first report (see package
// lockdep), so that go test never prints "ok" over a report.
//
// Run also reads the environment:
//
//	LOCKDEP_DAEMON=URL          send the binary's graph to lockdepd at URL when
//	                            the tests end (see package reports/upload); an
//	                            upload that fails (daemon down, slow or refusing)
//	                            costs a bounded wait and fails the binary with
//	                            one line naming the daemon and its answer;
//	                            a LOCKDEP_DAEMON that cannot work (no http://
//	                            scheme, no host) or another bad upload variable
//	                            fails the binary at start-up, before its tests
//	                            run, with one line saying what is wrong
//	LOCKDEP_UPLOAD_OPTIONAL=1   a failed upload or a bad upload variable only
//	                            prints that line
//	LOCKDEP_SAVE_DIR=DIR        write the graph to DIR/BINARY-PID.json
//	LOCKDEP_LOCKSTAT=0          when uploading or saving, do not collect
//	                            contention statistics (collected by default
//	                            then, and never otherwise)
//	LOCKDEP_BASELINE=FILE       fail only on dependencies or reports that the
//	                            baseline FILE does not accept
//	LOCKDEP_BASELINE_WRITE=FILE add this binary's dependencies and reports to
//	                            the baseline FILE (created if missing; safe
//	                            for test binaries running in parallel) and do
//	                            not fail on reports
package lockdeptest

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/reports/upload"
)

// VerifyTestMain is os.Exit(Run(m)):
//
//	func TestMain(m *testing.M) { lockdeptest.VerifyTestMain(m) }
//
// In a binary built by lockdepd test it is os.Exit(RunM(m)).
func VerifyTestMain(m *testing.M) {
	if mainPkg != "" {
		os.Exit(RunM(m))
	}
	os.Exit(Run(m))
}

// TestingM is what Run needs of *testing.M.
type TestingM interface {
	Run() int
}

// printed counts the reports the package's handler printed.
var printed atomic.Int64

func init() {
	// Print every report as it is made, and keep going: Run or Check
	// fails the binary or the test. Without this handler the validator
	// would end the test binary at its first report.
	lockdep.SetHandler(func(r *lockdep.Report) {
		fmt.Fprint(os.Stderr, r.String())
		printed.Add(1)
	})
}

// Run runs the tests and returns the exit code: the tests' own, or 1 if
// the default validator made any report while they ran (each is printed as
// it is made), or if a goroutine ended holding locks. It also uploads,
// saves or checks the graph as the environment asks (see the package
// documentation). It does not exit.
func Run(m TestingM) int {
	run, uploading := checkUploadEnv()
	if !run {
		return 1
	}
	if uploading && os.Getenv(EnvLockStat) != "0" {
		lockdep.EnableLockStats(true) // uploads carry lock_stat; off unless uploading
	}
	start := printed.Load()
	code := m.Run()
	lockdep.CheckExited()
	lockdep.FlushPending() // reports still waiting on holds that never ended
	n := int(printed.Load() - start)
	if uploading {
		if err := lockdep.Flush(); err != nil {
			// go test shows a passing binary's output only with -v: a
			// requested upload that failed fails the binary, so that the
			// line is seen, unless the upload is declared optional.
			if os.Getenv(EnvUploadOptional) == "1" {
				fmt.Fprintf(os.Stderr, "%v (a warning only: %s=1)\n", err, EnvUploadOptional)
			} else {
				fmt.Fprintf(os.Stderr, "%v (failing the test binary; set %s=1 to only warn)\n", err, EnvUploadOptional)
				code = failed(code)
			}
		}
	}
	switch {
	case os.Getenv(EnvBaselineWrite) != "":
		code = writeBaseline(code, os.Getenv(EnvBaselineWrite), n)
	case os.Getenv(EnvBaseline) != "":
		code = checkBaseline(code, os.Getenv(EnvBaseline))
	default:
		code = finish(code, n)
	}
	return code
}

// checkUploadEnv checks the upload's environment before the tests run
// and says on standard error what is wrong with it. A binary whose upload
// cannot work fails at once, without running its tests, so that go test
// shows the line (it shows a passing binary's output only with -v); with
// LOCKDEP_UPLOAD_OPTIONAL=1 the line is a warning, the tests run and
// nothing is uploaded or saved. It returns whether to run the tests and
// whether to upload after them.
func checkUploadEnv() (run, uploading bool) {
	err := upload.CheckEnv()
	switch {
	case err == nil:
		return true, upload.Enabled()
	case os.Getenv(EnvUploadOptional) == "1":
		fmt.Fprintf(os.Stderr, "%v (a warning only: %s=1; nothing is uploaded)\n", err, EnvUploadOptional)
		return true, false
	}
	fmt.Fprintf(os.Stderr, "%v; not running the tests (set %s=1 to only warn)\n", err, EnvUploadOptional)
	return false, false
}

// EnvUploadOptional ("1") makes a failed upload a warning instead of a
// failure of the test binary.
const EnvUploadOptional = "LOCKDEP_UPLOAD_OPTIONAL"

// EnvLockStat switches contention statistics off for uploads ("0").
const EnvLockStat = "LOCKDEP_LOCKSTAT"

// finish decides the exit status and prints the summary line.
func finish(code, reports int) int {
	if reports == 0 {
		return code
	}
	fmt.Fprintf(os.Stderr, "lockdep: %d report(s) during the tests; failing the test binary\n", reports)
	if code == 0 {
		code = 1
	}
	return code
}

// Check fails t if the default validator makes a report between the call
// and the end of the test (including goroutines the test left holding
// locks). Reports made by tests running in parallel are counted too.
func Check(t testing.TB) {
	t.Helper()
	start := lockdep.ReportCount()
	t.Cleanup(func() {
		lockdep.CheckExited()
		lockdep.FlushPending()
		if n := lockdep.ReportCount() - start; n > 0 {
			var texts []string
			rs := lockdep.Reports()
			if int64(len(rs)) > n {
				rs = rs[int64(len(rs))-n:]
			}
			for _, r := range rs {
				texts = append(texts, r.String())
			}
			t.Errorf("lockdep: %d report(s) during the test:\n%s", n, strings.Join(texts, "\n"))
		}
	})
}

// Recorder collects the reports made while it is installed.
type Recorder struct {
	mu      sync.Mutex
	reports []*lockdep.Report
}

// Capture resets the default validator, routes its reports to a Recorder
// instead of standard error, VerifyTestMain and Check, and restores the
// previous handler when the test ends. Tests that use it must not run in
// parallel with tests that lock validated locks.
func Capture(t testing.TB) *Recorder {
	t.Helper()
	lockdep.Reset()
	r := &Recorder{}
	restore := lockdep.SetHandler(r.add)
	t.Cleanup(func() {
		restore()
		lockdep.Reset()
	})
	return r
}

// Private returns a validator of the test's own, with the default
// options, whose reports go to the returned Recorder. A test whose locks
// all belong to it (InitIn(v, ...), v.NewMap) shares no state with other
// tests and may call t.Parallel.
func Private(t testing.TB) (*lockdep.Validator, *Recorder) {
	t.Helper()
	v, err := lockdep.New(lockdep.Options{})
	if err != nil {
		t.Fatalf("lockdep.New: %v", err)
	}
	r := &Recorder{}
	v.SetHandler(r.add)
	return v, r
}

func (r *Recorder) add(rep *lockdep.Report) {
	r.mu.Lock()
	r.reports = append(r.reports, rep)
	r.mu.Unlock()
}

// Reports returns the reports recorded so far.
func (r *Recorder) Reports() []*lockdep.Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*lockdep.Report(nil), r.reports...)
}

// Kinds returns the kinds of the reports recorded so far, in order.
func (r *Recorder) Kinds() []lockdep.Kind {
	var ks []lockdep.Kind
	for _, rep := range r.Reports() {
		ks = append(ks, rep.Kind)
	}
	return ks
}

// Clear forgets the recorded reports.
func (r *Recorder) Clear() {
	r.mu.Lock()
	r.reports = nil
	r.mu.Unlock()
}
