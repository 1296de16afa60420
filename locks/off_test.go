//go:build lockdep_off

package locks_test

import (
	"os/exec"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

// With -tags lockdep_off the validator is compiled out: the locks are the
// size of what they wrap, report nothing and cost no allocation.

func TestOffSize(t *testing.T) {
	if got, want := unsafe.Sizeof(locks.Mutex{}), unsafe.Sizeof(sync.Mutex{}); got != want {
		t.Errorf("Sizeof(locks.Mutex{}) = %d, want Sizeof(sync.Mutex{}) = %d", got, want)
	}
}

func TestOffNoReports(t *testing.T) {
	if lockdep.Enabled {
		t.Fatal("lockdep.Enabled in the lockdep_off build")
	}
	var reports int
	restore := lockdep.SetHandler(func(*lockdep.Report) { reports++ })
	defer restore()
	var ka, kb lockdep.Key
	a, b := locks.NewMutex("a", &ka), locks.NewMutex("b", &kb)
	a.Lock()
	b.Lock()
	b.Unlock()
	a.Unlock()
	b.Lock()
	a.Lock() // ABBA
	a.Unlock()
	b.Unlock()
	if reports != 0 || lockdep.ReportCount() != 0 {
		t.Errorf("%d reports (count %d) in the lockdep_off build", reports, lockdep.ReportCount())
	}
}

func TestOffAllocs(t *testing.T) {
	var m locks.Mutex
	s := locks.NewRWSem("s", nil)
	l := locks.NewRWLock("l", nil)
	var p locks.PageLock
	n := testing.AllocsPerRun(100, func() {
		m.Lock()
		m.Unlock()
		s.DownRead()
		s.UpRead()
		l.WriteLock()
		l.WriteUnlock()
		p.Lock()
		p.Unlock()
	})
	if n != 0 {
		t.Errorf("%v allocations per Lock/Unlock round, want 0", n)
	}
}

// TestOffInlines: in the off build the lock methods inline, as package
// sync's do, so that a locks.Mutex costs what a sync.Mutex costs. The
// compiler's own report (-gcflags=-m) is the judge.
func TestOffInlines(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the compiler")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command("go", "build", "-tags", "lockdep_off", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	inlinable := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if _, fn, ok := strings.Cut(line, ": can inline "); ok {
			inlinable[strings.Fields(fn)[0]] = true
		}
	}
	for _, fn := range []string{
		"(*Mutex).Lock", "(*Mutex).Unlock", "(*Mutex).TryLock", "(*Mutex).LockNested", "(*Mutex).UnlockNonOwner",
		"(*RWMutex).Lock", "(*RWMutex).Unlock", "(*RWMutex).RLock", "(*RWMutex).RUnlock", "(*RWMutex).TryLock", "(*RWMutex).TryRLock",
		"(*RWSem).DownRead", "(*RWSem).UpRead", "(*RWSem).DownWrite", "(*RWSem).UpWrite", "(*RWSem).Lock", "(*RWSem).RLock",
		"(*RWLock).ReadLock", "(*RWLock).ReadUnlock", "(*RWLock).WriteLock", "(*RWLock).WriteUnlock", "(*RWLock).TryLock",
		"(*PageLock).Lock", "(*PageLock).Unlock", "(*PageLock).TryLock", "(*PageLock).LockNested",
	} {
		if !inlinable[fn] {
			t.Errorf("%s does not inline in the off build", fn)
		}
	}
}
