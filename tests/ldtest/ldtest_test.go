package ldtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// lockdepd builds the command once per test binary.
func lockdepd(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds lockdepd and runs go test on a module several times (tens of seconds); runs without -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "ldtest-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "lockdepd")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/lockdepd")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/lockdepd: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// TestModule: lockdepd test on the whole module finds the four deadlocks
// it holds (a cross-pair inversion of two fields, a pair of one field
// nested both ways, in a binary whose TestMain hands m to a helper that
// exits, an inversion in a binary whose TestMain hands m to a helper that
// takes it as an interface, as goleak's does, a cycle split over two test
// binaries), nothing in the
// packages that lock correctly, gives every declaration its own class,
// keeps the package's own TestMain, leaves the files alone and removes
// its temporary directory; the plain go test passes.
func TestModule(t *testing.T) {
	bin := lockdepd(t)
	dir := module(t)
	before := snapshot(t, dir)
	tmp, save := t.TempDir(), t.TempDir()

	out, code := run(t, dir, env(tmp, "LOCKDEP_SAVE_DIR="+save), bin, "test", "-count=1", "./...")
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	t.Run("inversion across pairs", func(t *testing.T) {
		bank := section(out, "example.com/ldbank/bank")
		if !strings.HasPrefix(strings.TrimSpace(bank[strings.LastIndex(bank, "\n")+1:]), "FAIL") {
			t.Errorf("package bank did not fail:\n%s", bank)
		}
		deposit := fmt.Sprintf("bank.go:%d", lineOf(t, filepath.Join(dir, "bank", "bank.go"), "a.mu.Lock()", 1))
		audit := fmt.Sprintf("bank.go:%d", lineOf(t, filepath.Join(dir, "bank", "bank.go"), "b.mu.Lock()", 2))
		for _, want := range []string{"possible circular locking dependency", "(bank.Account.mu)", "(bank.Branch.mu)",
			deposit, audit, "bank.TestDeposit", "bank.TestAudit"} {
			if !strings.Contains(bank, want) {
				t.Errorf("bank's output lacks %q:\n%s", want, bank)
			}
		}
	})
	t.Run("one field nested both ways", func(t *testing.T) {
		// swap's TestMain hands m to a helper package that exits: the
		// report fails the binary all the same.
		swap := section(out, "example.com/ldbank/swap")
		if !regexp.MustCompile(`(?m)^FAIL\s+example.com/ldbank/swap`).MatchString(swap) {
			t.Errorf("package swap did not fail:\n%s", swap)
		}
		if n := strings.Count(swap, "possible circular locking dependency"); n != 1 {
			t.Errorf("%d reports in swap, want 1:\n%s", n, swap)
		}
		if !strings.Contains(swap, "of class swap.Cell.mu were nested in both orders") {
			t.Errorf("swap's report does not name the pair:\n%s", swap)
		}
	})
	t.Run("helper taking an interface", func(t *testing.T) {
		// leaky's TestMain hands m to a goleak-shaped helper (an
		// interface parameter, os.Exit inside): it gets
		// lockdeptest.WrapM(m), and the report fails the binary.
		leaky := section(out, "example.com/ldbank/leaky")
		if !regexp.MustCompile(`(?m)^FAIL\s+example.com/ldbank/leaky`).MatchString(leaky) {
			t.Errorf("package leaky did not fail:\n%s", leaky)
		}
		for _, want := range []string{"possible circular locking dependency", "(leaky.first)", "(leaky.second)"} {
			if !strings.Contains(leaky, want) {
				t.Errorf("leaky's output lacks %q:\n%s", want, leaky)
			}
		}
	})
	t.Run("clean packages", func(t *testing.T) {
		for _, p := range []string{"tree", "clean", "crossa", "crossb"} {
			s := section(out, "example.com/ldbank/"+p)
			if !regexp.MustCompile(`(?m)^ok\s+example.com/ldbank/` + p).MatchString(s) {
				t.Errorf("package %s did not pass:\n%s", p, s)
			}
		}
	})
	t.Run("cycle across binaries", func(t *testing.T) {
		i := strings.Index(out, "a cycle that no single test binary saw")
		if i < 0 {
			t.Fatalf("no cross-binary cycle:\n%s", out)
		}
		for _, want := range []string{"(shared.Cache.mu)", "(shared.Index.mu)", "crossa.test", "crossb.test"} {
			if !strings.Contains(out[i:], want) {
				t.Errorf("the cross-binary cycle lacks %q", want)
			}
		}
	})
	t.Run("warning and summary", func(t *testing.T) {
		if !regexp.MustCompile(`warning: clean\.raw\.mu \(.*clean\.go:\d+\) is converted to an unsafe\.Pointer`).MatchString(out) {
			t.Errorf("no warning for the mutex used through unsafe:\n%s", out)
		}
		if !regexp.MustCompile(`lockdepd test: \d+ of \d+ test binaries ran: \d+ classes, \d+ dependencies, 4 reports`).MatchString(out) {
			t.Errorf("no summary line with 4 reports:\n%s", out)
		}
	})
	t.Run("classes of declarations", func(t *testing.T) {
		classes := savedClasses(t, save)
		for _, want := range []string{"bank.Account.mu", "bank.Branch.mu", "tree.Node.mu", "swap.Cell.mu",
			"clean.Stats.Mutex", "clean.registry", "clean.entry.mu", "clean.Table.mu", "clean.Table.byKey[]",
			"clean.Table.stripe[]", "clean.Count.mu", "clean.Pair.left", "clean.Pair.right", "shared.Cache.mu", "shared.Index.mu"} {
			if !classes[want] {
				t.Errorf("no class %s among %v", want, keys(classes))
			}
		}
	})
	checkUnchanged(t, before, snapshot(t, dir))
	if left := lockdepdTemps(t, tmp); len(left) > 0 {
		t.Errorf("temporary directories left: %v", left)
	}

	plain, code := run(t, dir, env(tmp), "go", "test", "-count=1", "./...")
	if code != 0 {
		t.Errorf("plain go test failed (%d):\n%s", code, plain)
	}
}

// TestCachedRerun: a second run of unchanged packages is go test's cached
// result: lockdepd's rewrite produces the same files and the summary it
// collects does not count as an input of the tests.
func TestCachedRerun(t *testing.T) {
	bin := lockdepd(t)
	dir := module(t)
	tmp := t.TempDir()
	run(t, dir, env(tmp), bin, "test", "./tree")
	out, code := run(t, dir, env(tmp), bin, "test", "./tree")
	if code != 0 || !strings.Contains(out, "(cached)") {
		t.Errorf("second run (status %d) not cached:\n%s", code, out)
	}
}

// TestInterrupt: lockdepd test interrupted while a test runs stops, with
// status 130, removes its temporary directory, and has not written the
// module's files.
func TestInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on windows")
	}
	bin := lockdepd(t)
	dir := module(t)
	before := snapshot(t, dir)
	tmp := t.TempDir()
	marker := filepath.Join(t.TempDir(), "running")
	cmd := exec.Command(bin, "test", "-count=1", "-run", "TestSlow", "./slow")
	cmd.Dir = dir
	cmd.Env = env(tmp, "LDTEST_SLOW_MARKER="+marker)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if !waitFor(marker) {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the slow test never started:\n%s", out.String())
	}
	interruptedAt := now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if took := since(interruptedAt); took > 30 {
		t.Errorf("lockdepd test took %ds to stop after the interrupt", took)
	}
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want status 130:\n%s", err, out.String())
	}
	checkUnchanged(t, before, snapshot(t, dir))
	if left := lockdepdTemps(t, tmp); len(left) > 0 {
		t.Errorf("temporary directories left after the interrupt: %v", left)
	}
}

// TestTypeErrors: a package that does not compile is left as it is, with
// one warning, and go test reports it; the others are tested.
func TestTypeErrors(t *testing.T) {
	bin := lockdepd(t)
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/broken\n\ngo 1.24\n")
	write("bad/bad.go", "package bad\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nvar n int = \"not a number\"\n")
	write("bad/bad_test.go", "package bad\n\nimport \"testing\"\n\nfunc TestBad(t *testing.T) { mu.Lock(); mu.Unlock() }\n")
	write("good/good.go", "package good\n\nimport \"sync\"\n\nvar Mu sync.Mutex\n")
	write("good/good_test.go", "package good\n\nimport \"testing\"\n\nfunc TestGood(t *testing.T) { Mu.Lock(); Mu.Unlock() }\n")
	out, code := run(t, dir, env(t.TempDir()), bin, "test", "./...")
	if code == 0 {
		t.Errorf("status 0 with a package that does not compile:\n%s", out)
	}
	if !regexp.MustCompile(`warning: example.com/broken/bad does not type-check; left as it is .*bad\.go:7`).MatchString(out) {
		t.Errorf("no warning naming the package and the error:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^ok\s+example.com/broken/good`).MatchString(out) {
		t.Errorf("the good package was not tested:\n%s", out)
	}
}
