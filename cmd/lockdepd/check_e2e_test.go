package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// e2eFiles is a module of two packages whose tests each pass alone and
// whose lock orders form a cycle only together: ledger's tests take the
// store's lock then the account's, accounts' the other way round. The
// locks are in a third package, named as real Go locks are.
var e2eFiles = map[string]string{
	"locked/locked.go": `// Package locked holds the two locks both test packages take.
package locked

import (
	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

var storeKey, accountKey lockdep.Key

var (
	Store   = locks.NewMutex("example.com/payments/internal/ledger.(*Store).mu", &storeKey)
	Account = locks.NewMutex("example.com/payments/internal/accounts.(*Account).mu", &accountKey)
)

// Take locks first then second, and unlocks both.
func Take(first, second *locks.Mutex) {
	first.Lock()
	second.Lock()
	second.Unlock()
	first.Unlock()
}
`,
	"ledger/ledger_test.go": `package ledger

import (
	"testing"

	"example.com/payments/locked"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
)

func TestMain(m *testing.M) { lockdeptest.VerifyTestMain(m) }

func TestPost(t *testing.T) { locked.Take(locked.Store, locked.Account) }
`,
	"accounts/accounts_test.go": `package accounts

import (
	"testing"

	"example.com/payments/locked"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
)

func TestMain(m *testing.M) { lockdeptest.VerifyTestMain(m) }

func TestAudit(t *testing.T) { locked.Take(locked.Account, locked.Store) }
`,
}

// writeE2EModule writes e2eFiles as module example.com/payments, which
// requires this module through a replace directive pointing at this
// checkout, with this module's requirements and go.sum so that nothing is
// downloaded.
func writeE2EModule(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	own, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	reqs := regexp.MustCompile(`(?s)\nrequire .*`).Find(own) // this module's requirements
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/payments\n\ngo 1.22\n\nrequire github.com/golockdep/lockdep v0.0.0\n\n" +
			"replace github.com/golockdep/lockdep => " + root + "\n" + string(reqs),
		"go.sum": string(sum),
	}
	for k, v := range e2eFiles {
		files[k] = v
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// goTest runs "go test -count=1 ./..." in dir with the environment less
// its LOCKDEP variables, plus env.
func goTest(t *testing.T, dir string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("go", "test", "-count=1", "./...")
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LOCKDEP") && !strings.HasPrefix(kv, "GOPROXY=") && !strings.HasPrefix(kv, "GOFLAGS=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, append([]string{"GOPROXY=off", "GOFLAGS=-mod=mod"}, env...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestCheckEndToEnd is the CI recipe of the README with real test
// binaries: go test ./... passes, each binary uploading to a daemon;
// lockdepd check fails on the cycle only their union has, printing its
// baseline line; with that line in the baseline, the check passes.
func TestCheckEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two test binaries (-short)")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := writeE2EModule(t)
	url := startInProcess(t, "")
	if out, err := goTest(t, dir); err != nil || strings.Contains(out, "WARNING") {
		t.Fatalf("the test packages are not clean on their own: %v\n%s", err, out)
	}
	out, err := goTest(t, dir, "LOCKDEP_DAEMON="+url)
	if err != nil {
		t.Fatalf("go test with LOCKDEP_DAEMON failed: %v\n%s", err, out)
	}

	t.Setenv("LOCKDEP_DAEMON_TOKEN_FILE", "")
	code, stdout, stderr := runCheckArgs("-daemon", url)
	if code != 1 {
		t.Fatalf("check passed a cross-binary cycle: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"WARNING: possible circular locking dependency detected",
		"(example.com/payments/internal/ledger.(*Store).mu)", "ledger.test pid", "accounts.test pid", "from 2 run(s)"} {
		if !strings.Contains(stdout+stderr, want) {
			t.Errorf("check's output lacks %q:\n%s%s", want, stdout, stderr)
		}
	}
	line := regexp.MustCompile(`(?m)^accept it: add to the "reports" of the baseline: (.*)$`).FindStringSubmatch(stdout)
	if line == nil {
		t.Fatalf("no baseline line:\n%s", stdout)
	}
	base := writeBaselineFile(t, t.TempDir(), line[1])
	if code, stdout, stderr := runCheckArgs("-daemon", url, "-baseline", base); code != 0 || stdout != "" {
		t.Errorf("the cycle's baseline line did not pass the check: exit %d\n%s%s", code, stdout, stderr)
	}
}
