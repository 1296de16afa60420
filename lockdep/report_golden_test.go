//go:build !lockdep_off

package lockdep_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// moduleRoot is the directory of go.mod, found from this file's path.
func moduleRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Dir(filepath.Dir(file))
}

var (
	addrRE      = regexp.MustCompile(`0x[0-9a-f]+`)
	goroutineRE = regexp.MustCompile(`goroutine \d+`)
)

// normalise makes a report's text machine-independent: addresses and
// goroutine ids vary from run to run, file paths from checkout to checkout.
func normalise(t testing.TB, s string) string {
	s = strings.ReplaceAll(s, moduleRoot(t)+string(filepath.Separator), "")
	s = addrRE.ReplaceAllString(s, "0xADDR")
	return goroutineRE.ReplaceAllString(s, "goroutine N")
}

// recorder returns a private validator and the reports it makes.
func recorder() (*lockdep.Validator, *[]*lockdep.Report) {
	var rs []*lockdep.Report
	v := lockdep.MustNew(lockdep.Options{Handler: func(r *lockdep.Report) { rs = append(rs, r) }})
	return v, &rs
}

func acquire(ms ...*lockdep.Map) {
	for _, m := range ms {
		m.Acquire(0, lockdep.Exclusive)
	}
}

func release(ms ...*lockdep.Map) {
	for i := len(ms) - 1; i >= 0; i-- {
		ms[i].Release()
	}
}

func TestReportGolden(t *testing.T) {
	cases := []struct {
		name string
		run  func(v *lockdep.Validator)
	}{
		{"abba", func(v *lockdep.Validator) {
			var ka, kb lockdep.Key
			a, b := v.NewMap("accounts", &ka), v.NewMap("ledger", &kb)
			acquire(a, b)
			release(a, b)
			acquire(b, a)
			release(b, a)
		}},
		{"chain3", func(v *lockdep.Validator) {
			var ka, kb, kc lockdep.Key
			a, b, c := v.NewMap("inode", &ka), v.NewMap("mapping", &kb), v.NewMap("page", &kc)
			acquire(a, b)
			release(a, b)
			acquire(b, c)
			release(b, c)
			acquire(c, a)
			release(c, a)
		}},
		{"recursive", func(v *lockdep.Validator) {
			var k lockdep.Key
			x1, x2 := v.NewMap("inode", &k), v.NewMap("inode", &k)
			acquire(x1, x2)
			release(x1, x2)
		}},
		{"badunlock", func(v *lockdep.Validator) {
			var k lockdep.Key
			m := v.NewMap("buffer", &k)
			acquire(m)
			release(m)
			if !m.Release() {
				ld.ReleaseUnlocked(m, lockdep.Exclusive)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, rs := recorder()
			c.run(v)
			if len(*rs) != 1 {
				t.Fatalf("%d reports, want 1", len(*rs))
			}
			got := normalise(t, (*rs)[0].String())
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("report differs from %s (run with -update if the change is intended)\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}

// nextLine returns the line number of the line after the call.
func nextLine() int {
	_, _, line, _ := runtime.Caller(1)
	return line + 1
}

func thisFile(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return file
}

// checkABBAStacks checks that an ABBA report shows where each of its two
// dependencies was made, at the right file and line.
func checkABBAStacks(t *testing.T, r *lockdep.Report, lineAB, lineBA int) {
	t.Helper()
	file := thisFile(t)
	if r.Kind != lockdep.Circular || len(r.Chain) != 1 {
		t.Fatalf("got a %v report with %d links, want an ABBA:%s", r.Kind, len(r.Chain), r)
	}
	top := func(what string, fs []lockdep.Frame, line int) {
		t.Helper()
		if len(fs) == 0 {
			t.Errorf("%s: no stack", what)
			return
		}
		if fs[0].File != file || fs[0].Line != line {
			t.Errorf("%s: stack starts at %s:%d (%s), want %s:%d", what, fs[0].File, fs[0].Line, fs[0].Function, file, line)
		}
	}
	top("the existing dependency a -> b", r.Chain[0].Stack, lineAB)
	top("the new dependency b -> a", r.Stack, lineBA)
	if r.New != nil {
		top("the new link", r.New.Stack, lineBA)
	}
	text := r.String()
	for _, line := range []int{lineAB, lineBA} {
		if want := fmt.Sprintf("%s:%d\n", file, line); !strings.Contains(text, want) {
			t.Errorf("report text does not show %s:%s", strings.TrimSpace(want), text)
		}
	}
}

func TestReportStacksMap(t *testing.T) {
	v, rs := recorder()
	var ka, kb lockdep.Key
	a, b := v.NewMap("a", &ka), v.NewMap("b", &kb)
	a.Acquire(0, lockdep.Exclusive)
	lineAB := nextLine()
	b.Acquire(0, lockdep.Exclusive)
	release(a, b)
	b.Acquire(0, lockdep.Exclusive)
	lineBA := nextLine()
	a.Acquire(0, lockdep.Exclusive)
	release(b, a)
	if len(*rs) != 1 {
		t.Fatalf("%d reports, want 1", len(*rs))
	}
	checkABBAStacks(t, (*rs)[0], lineAB, lineBA)
}

// TestReportStacksMutex: with real locks the stacks start at the caller of
// Lock, not inside package locks, and the other side's stack is the one of
// the goroutine that made the first dependency.
func TestReportStacksMutex(t *testing.T) {
	var rs []*lockdep.Report
	lockdep.Reset()
	restore := lockdep.SetHandler(func(r *lockdep.Report) { rs = append(rs, r) })
	t.Cleanup(func() {
		restore()
		lockdep.Reset()
	})
	var ka, kb lockdep.Key
	a, b := locks.NewMutex("a", &ka), locks.NewMutex("b", &kb)
	var lineAB int
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Lock()
		lineAB = nextLine()
		b.Lock()
		b.Unlock()
		a.Unlock()
	}()
	<-done
	b.Lock()
	lineBA := nextLine()
	a.Lock()
	a.Unlock()
	b.Unlock()
	if len(rs) != 1 {
		t.Fatalf("%d reports, want 1", len(rs))
	}
	checkABBAStacks(t, rs[0], lineAB, lineBA)
}
