//go:build !lockdep_off

package locks_test

// A port of the verdict matrix of the kernel's lib/locking-selftest.c: the
// same lock/unlock programs, run against every lock type they apply to, with
// the verdicts the kernel expects (a lockdep splat or none). Everything runs
// in one goroutine, as the kernel's selftests run in one context: ABBA-type
// programs take A,B, release, then B,A, so nothing ever blocks; the AA cases
// take two instances of one class, so nothing blocks either.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/internal/plumbing"
	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

// column is a column of the kernel's table: which lock API a case is run
// with. The verdict of a case depends on the column.
type column int

const (
	colSpin  column = iota // spin_lock
	colWlock               // write_lock on an rwlock_t
	colRlock               // read_lock on an rwlock_t (a recursive reader)
	colMutex               // mutex_lock
	colWsem                // down_write
	colRsem                // down_read (a non-recursive reader)
)

// testLock is one lock instance as the kernel's LOCK()/UNLOCK() see it.
type testLock interface {
	lock()
	unlock()
}

// lockType is how one Go lock type plays the kernel's LOCK() and UNLOCK().
type lockType struct {
	name string
	col  column
	new  func(name string, key *lockdep.Key) testLock
}

type mutexLock struct{ m *locks.Mutex }

func (l mutexLock) lock()   { l.m.Lock() }
func (l mutexLock) unlock() { l.m.Unlock() }

type pageLock struct{ p *locks.PageLock }

func (l pageLock) lock()   { l.p.Lock() }
func (l pageLock) unlock() { l.p.Unlock() }

type rwsemWrite struct{ s *locks.RWSem }

func (l rwsemWrite) lock()   { l.s.DownWrite() }
func (l rwsemWrite) unlock() { l.s.UpWrite() }

type rwsemRead struct{ s *locks.RWSem }

func (l rwsemRead) lock()   { l.s.DownRead() }
func (l rwsemRead) unlock() { l.s.UpRead() }

type rwlockWrite struct{ l *locks.RWLock }

func (l rwlockWrite) lock()   { l.l.WriteLock() }
func (l rwlockWrite) unlock() { l.l.WriteUnlock() }

type rwlockRead struct{ l *locks.RWLock }

func (l rwlockRead) lock()   { l.l.ReadLock() }
func (l rwlockRead) unlock() { l.l.ReadUnlock() }

// mapLock is a bare lockdep.Map used as a pseudo-lock in one mode. An
// unlock it does not hold is reported the way the lock types report it.
type mapLock struct {
	m    *lockdep.Map
	mode lockdep.Mode
}

func (l mapLock) lock() { l.m.Acquire(0, l.mode) }
func (l mapLock) unlock() {
	if !l.m.Release() {
		plumbing.Get[*lockdep.Validator, *lockdep.Map, *lockdep.Event, *lockdep.Chan, lockdep.Mode]().ReleaseUnlocked(l.m, l.mode)
	}
}

func newPageLock(name string, key *lockdep.Key) *locks.PageLock {
	p := &locks.PageLock{}
	p.Init(name, key)
	return p
}

func newMapLock(mode lockdep.Mode) func(string, *lockdep.Key) testLock {
	return func(name string, key *lockdep.Key) testLock {
		return mapLock{m: lockdep.NewMap(name, key), mode: mode}
	}
}

// lockTypes are the Go lock types and the kernel column each one plays.
var lockTypes = []lockType{
	{"Mutex", colMutex, func(n string, k *lockdep.Key) testLock { return mutexLock{locks.NewMutex(n, k)} }},
	{"PageLock", colSpin, func(n string, k *lockdep.Key) testLock { return pageLock{newPageLock(n, k)} }},
	{"RWSem.write", colWsem, func(n string, k *lockdep.Key) testLock { return rwsemWrite{locks.NewRWSem(n, k)} }},
	{"RWSem.read", colRsem, func(n string, k *lockdep.Key) testLock { return rwsemRead{locks.NewRWSem(n, k)} }},
	{"RWLock.write", colWlock, func(n string, k *lockdep.Key) testLock { return rwlockWrite{locks.NewRWLock(n, k)} }},
	{"RWLock.read", colRlock, func(n string, k *lockdep.Key) testLock { return rwlockRead{locks.NewRWLock(n, k)} }},
	{"Map.exclusive", colSpin, newMapLock(lockdep.Exclusive)},
	{"Map.shared", colRsem, newMapLock(lockdep.Shared)},
	{"Map.recursive-read", colRlock, newMapLock(lockdep.RecursiveRead)},
}

// A program is written with the kernel's macros, one step per token:
// LOCK(x)/UNLOCK(x) use the lock type under test; L/U are spin_lock (played
// by PageLock), ML/MU mutex_lock, RL/RU/WL/WU read_lock/write_lock on an
// rwlock_t, RSL/RSU/WSL/WSU down_read/down_write. A trailing "!" marks the
// step the kernel expects to fail. Instances whose names differ only in a
// trailing digit (X1, X2) share a class, as the kernel's init_class_X gives
// them; A, B, C, D are classes of their own.
type step struct {
	op, inst string
	fails    bool
}

func parseProgram(t testing.TB, prog string) []step {
	t.Helper()
	var steps []step
	for _, tok := range strings.Fields(prog) {
		s := step{}
		if strings.HasSuffix(tok, "!") {
			s.fails = true
			tok = strings.TrimSuffix(tok, "!")
		}
		open := strings.IndexByte(tok, '(')
		if open < 0 || !strings.HasSuffix(tok, ")") {
			t.Fatalf("bad step %q", tok)
		}
		s.op, s.inst = tok[:open], tok[open+1:len(tok)-1]
		steps = append(steps, s)
	}
	return steps
}

// classOf strips the instance number: X1 and X2 are both class X.
func classOf(inst string) string { return strings.TrimRight(inst, "0123456789") }

// selftestEnv runs one program against one lock type (for LOCK/UNLOCK) and
// one implementation of the rw/spin/mutex macros: "locks" (the real lock
// types) or "map" (bare Maps in the mode each macro stands for).
type selftestEnv struct {
	t      testing.TB
	typ    *lockType
	useMap bool
	keys   map[string]*lockdep.Key
	objs   map[string]any
	held   []heldStep // what the program holds, for clean-up
}

type heldStep struct {
	key    string
	unlock func()
}

func newSelftestEnv(t testing.TB, typ *lockType, useMap bool) *selftestEnv {
	return &selftestEnv{t: t, typ: typ, useMap: useMap, keys: map[string]*lockdep.Key{}, objs: map[string]any{}}
}

// key returns the key of an instance's class within a family of locks
// (spinlock_t, rwlock_t, mutex, rw_semaphore are distinct classes in the
// kernel even for the same letter), named "family_X".
func (e *selftestEnv) key(family, inst string) *lockdep.Key {
	name := family + "_" + classOf(inst)
	k := e.keys[name]
	if k == nil {
		k = new(lockdep.Key)
		lockdep.RegisterKey(k, name)
		e.keys[name] = k
	}
	return k
}

// obj returns the instance inst of a family, creating it with mk.
func obj[T any](e *selftestEnv, family, inst string, mk func(name string, key *lockdep.Key) T) T {
	id := family + "_" + inst
	if o, ok := e.objs[id]; ok {
		return o.(T)
	}
	o := mk(id, e.key(family, inst))
	e.objs[id] = o
	return o
}

// do runs one step.
func (e *selftestEnv) do(s step) {
	var lock, unlock func()
	family := ""
	if e.useMap {
		mode := lockdep.Exclusive
		switch s.op {
		case "L", "U":
			family = "spin"
		case "ML", "MU":
			family = "mutex"
		case "RL", "RU":
			family, mode = "rwlock", lockdep.RecursiveRead
		case "WL", "WU":
			family = "rwlock"
		case "RSL", "RSU":
			family, mode = "rwsem", lockdep.Shared
		case "WSL", "WSU":
			family = "rwsem"
		}
		if family != "" {
			l := mapLock{m: obj(e, family, s.inst, lockdep.NewMap), mode: mode}
			lock, unlock = l.lock, l.unlock
		}
	} else {
		switch s.op {
		case "L", "U":
			family = "spin"
			p := obj(e, family, s.inst, newPageLock)
			lock, unlock = p.Lock, p.Unlock
		case "ML", "MU":
			family = "mutex"
			m := obj(e, family, s.inst, locks.NewMutex)
			lock, unlock = m.Lock, m.Unlock
		case "RL", "RU", "WL", "WU":
			family = "rwlock"
			l := obj(e, family, s.inst, locks.NewRWLock)
			lock, unlock = l.ReadLock, l.ReadUnlock
			if s.op[0] == 'W' {
				lock, unlock = l.WriteLock, l.WriteUnlock
			}
		case "RSL", "RSU", "WSL", "WSU":
			family = "rwsem"
			l := obj(e, family, s.inst, locks.NewRWSem)
			lock, unlock = l.DownRead, l.UpRead
			if s.op[0] == 'W' {
				lock, unlock = l.DownWrite, l.UpWrite
			}
		}
	}
	if s.op == "LOCK" || s.op == "UNLOCK" {
		family = "lock"
		l := obj(e, family, s.inst, e.typ.new)
		lock, unlock = l.lock, l.unlock
	}
	if lock == nil {
		e.t.Fatalf("unknown operation %s(%s)", s.op, s.inst)
	}
	id := family + "_" + s.inst
	if strings.HasSuffix(s.op, "L") || s.op == "LOCK" {
		lock()
		e.held = append(e.held, heldStep{id, unlock})
		return
	}
	unlock()
	for i := len(e.held) - 1; i >= 0; i-- {
		if e.held[i].key == id {
			e.held = append(e.held[:i], e.held[i+1:]...)
			break
		}
	}
}

// release unlocks whatever the program left held (the kernel resets its
// locks between cases instead), innermost first.
func (e *selftestEnv) release() {
	for i := len(e.held) - 1; i >= 0; i-- {
		e.held[i].unlock()
	}
	e.held = nil
}

// runSelftest runs prog and checks the kernel's verdict: with fail, exactly
// one report, of kind want, made by the step marked "!"; without, none.
// cycle, if set, is the set of class letters the Circular report must name.
// It runs under the kernel's rules, where a report is made at the step
// that finds it, and again under Go's rules, where a report that depends
// on a hold waits until the hold ends (a hold may be handed to another
// goroutine): there the same report must be made by the time the program's
// locks are released.
func runSelftest(t *testing.T, prog string, typ *lockType, useMap, fail bool, want lockdep.Kind, cycle string) {
	t.Helper()
	runSelftestKernel(t, prog, typ, useMap, fail, want, cycle)
	runSelftestGo(t, prog, typ, useMap, fail, want)
}

func runSelftestGo(t *testing.T, prog string, typ *lockType, useMap, fail bool, want lockdep.Kind) {
	t.Helper()
	rec := lockdeptest.Capture(t)
	e := newSelftestEnv(t, typ, useMap)
	for _, s := range parseProgram(t, prog) {
		e.do(s)
	}
	e.release()
	lockdep.FlushPending()
	got := rec.Reports()
	switch {
	case !fail && len(got) != 0:
		t.Errorf("Go rules: %d reports, want none; first:%s", len(got), got[0])
	case fail && (len(got) != 1 || got[0].Kind != want):
		t.Errorf("Go rules: reports %v, want one %v", kindsOf(got), want)
	}
}

func runSelftestKernel(t *testing.T, prog string, typ *lockType, useMap, fail bool, want lockdep.Kind, cycle string) {
	t.Helper()
	rec := lockdeptest.Capture(t)
	old := lockdep.SetRules(lockdep.KernelRules)
	defer lockdep.SetRules(old)
	e := newSelftestEnv(t, typ, useMap)
	steps := parseProgram(t, prog)
	marked := false
	for i, s := range steps {
		before := len(rec.Reports())
		e.do(s)
		got := rec.Reports()[before:]
		marked = marked || s.fails
		switch {
		case !fail || !s.fails:
			for _, r := range got {
				t.Errorf("step %d %s(%s): unexpected %v report:%s", i, s.op, s.inst, r.Kind, r)
			}
		case len(got) != 1:
			t.Errorf("step %d %s(%s): %d reports, want one %v report (the kernel fails here)", i, s.op, s.inst, len(got), want)
		case got[0].Kind != want:
			t.Errorf("step %d %s(%s): %v report, want %v:%s", i, s.op, s.inst, got[0].Kind, want, got[0])
		case cycle != "":
			if letters := cycleLetters(got[0]); letters != cycle {
				t.Errorf("step %d %s(%s): cycle through classes %q, want %q:%s", i, s.op, s.inst, letters, cycle, got[0])
			}
		}
	}
	if fail && !marked {
		t.Fatalf("program %q marks no failing step", prog)
	}
	before := len(rec.Reports())
	e.release()
	for _, r := range rec.Reports()[before:] {
		t.Errorf("releasing the held locks: unexpected %v report:%s", r.Kind, r)
	}
	if held := lockdep.HeldLocks(); len(held) != 0 {
		t.Errorf("locks still held after the program: %v", held)
	}
}

// cycleLetters returns the sorted class letters a Circular report names
// (class "lock_B" is letter B).
func cycleLetters(r *lockdep.Report) string {
	seen := map[byte]bool{}
	for _, c := range r.Classes {
		seen[c[len(c)-1]] = true
	}
	var b []byte
	for c := byte('A'); c <= 'Z'; c++ {
		if seen[c] {
			b = append(b, c)
		}
	}
	return string(b)
}

// TestSelftestMatrix is the kernel's DO_TESTCASE_6R and DO_TESTCASE_6 rows:
// each program run with every lock type as LOCK()/UNLOCK().
func TestSelftestMatrix(t *testing.T) {
	const F, S = true, false
	cases := []struct {
		name string
		prog string
		want lockdep.Kind
		// verdict per column: spin, wlock, rlock, mutex, wsem, rsem
		fail  [6]bool
		cycle string
	}{
		// "A-A deadlock": two instances of one class. read_lock may
		// recurse; down_read may not.
		{"AA", "LOCK(X1) LOCK(X2)!", lockdep.Recursive, [6]bool{F, F, S, F, F, F}, ""},
		{"ABBA", "LOCK(A) LOCK(B) UNLOCK(B) UNLOCK(A) LOCK(B) LOCK(A)! UNLOCK(A) UNLOCK(B)",
			lockdep.Circular, [6]bool{F, F, S, F, F, F}, "AB"},
		{"ABBCCA", "LOCK(A) LOCK(B) UNLOCK(B) UNLOCK(A) LOCK(B) LOCK(C) UNLOCK(C) UNLOCK(B) " +
			"LOCK(C) LOCK(A)! UNLOCK(A) UNLOCK(C)", lockdep.Circular, [6]bool{F, F, S, F, F, F}, "ABC"},
		{"ABCABC", "LOCK(A) LOCK(B) UNLOCK(B) UNLOCK(A) LOCK(C) LOCK(A) UNLOCK(A) UNLOCK(C) " +
			"LOCK(B) LOCK(C)! UNLOCK(C) UNLOCK(B)", lockdep.Circular, [6]bool{F, F, S, F, F, F}, "ABC"},
		{"ABBCCDDA", "LOCK(A) LOCK(B) UNLOCK(B) UNLOCK(A) LOCK(B) LOCK(C) UNLOCK(C) UNLOCK(B) " +
			"LOCK(C) LOCK(D) UNLOCK(D) UNLOCK(C) LOCK(D) LOCK(A)! UNLOCK(A) UNLOCK(D)",
			lockdep.Circular, [6]bool{F, F, S, F, F, F}, "ABCD"},
		{"ABCDBDDA", "LOCK(A) LOCK(B) UNLOCK(B) UNLOCK(A) LOCK(C) LOCK(D) UNLOCK(D) UNLOCK(C) " +
			"LOCK(B) LOCK(D) UNLOCK(D) UNLOCK(B) LOCK(D) LOCK(A)! UNLOCK(A) UNLOCK(D)",
			lockdep.Circular, [6]bool{F, F, S, F, F, F}, "ABD"},
		{"ABCDBCDA", "LOCK(A) LOCK(B) UNLOCK(B) UNLOCK(A) LOCK(C) LOCK(D) UNLOCK(D) UNLOCK(C) " +
			"LOCK(B) LOCK(C) UNLOCK(C) UNLOCK(B) LOCK(D) LOCK(A)! UNLOCK(A) UNLOCK(D)",
			lockdep.Circular, [6]bool{F, F, S, F, F, F}, "ABCD"},
		// "double unlock" fails for every API, read_lock included.
		{"double_unlock", "LOCK(A) UNLOCK(A) UNLOCK(A)!", lockdep.BadUnlock, [6]bool{F, F, F, F, F, F}, ""},
	}
	for _, c := range cases {
		for i := range lockTypes {
			typ := &lockTypes[i]
			fail := c.fail[typ.col]
			t.Run(c.name+"/"+typ.name, func(t *testing.T) {
				runSelftest(t, c.prog, typ, false, fail, c.want, c.cycle)
			})
		}
	}
}

// TestSelftestReadWrite is the kernel's read/write rows: recursive read
// locks, mixed read/write AA, the read/write ABBA mixes and the chain-cache
// case, each run with the real lock types and with bare Maps.
func TestSelftestReadWrite(t *testing.T) {
	cases := []struct {
		name string
		prog string
		fail bool
		want lockdep.Kind
	}{
		// "recursive read-lock": read_lock may recurse, down_read may not.
		{"rlock_AA1", "RL(X1) RL(X1)", false, 0},
		{"rsem_AA1", "RSL(X1) RSL(X1)!", true, lockdep.Recursive},
		// "recursive read-lock #2": the same with two instances.
		{"rlock_AA1B", "RL(X1) RL(X2)", false, 0},
		{"rsem_AA1B", "RSL(X1) RSL(X2)!", true, lockdep.Recursive},
		// "mixed read-write-lock" and "mixed write-read-lock".
		{"rlock_AA2", "RL(X1) WL(X2)!", true, lockdep.Recursive},
		{"rsem_AA2", "RSL(X1) WSL(X2)!", true, lockdep.Recursive},
		{"rlock_AA3", "WL(X1) RL(X2)!", true, lockdep.Recursive},
		{"rsem_AA3", "WSL(X1) RSL(X2)!", true, lockdep.Recursive},
		// "mixed read-lock/lock-write ABBA".
		{"rlock_ABBA1", "RL(X1) L(Y1) U(Y1) RU(X1) L(Y1) WL(X1)! WU(X1) U(Y1)", true, lockdep.Circular},
		{"rwsem_ABBA1", "RSL(X1) ML(Y1) MU(Y1) RSU(X1) ML(Y1) WSL(X1)! WSU(X1) MU(Y1)", true, lockdep.Circular},
		// "mixed read-lock/lock-read ABBA": fine for a recursive reader,
		// a deadlock for down_read (it waits behind a queued writer).
		{"rlock_ABBA2", "RL(X1) L(Y1) U(Y1) RU(X1) L(Y1) RL(X1) RU(X1) U(Y1)", false, 0},
		{"rwsem_ABBA2", "RSL(X1) ML(Y1) MU(Y1) RSU(X1) ML(Y1) RSL(X1)! RSU(X1) MU(Y1)", true, lockdep.Circular},
		// "mixed write-lock/lock-write ABBA".
		{"rlock_ABBA3", "WL(X1) L(Y1) U(Y1) WU(X1) L(Y1) WL(X1)! WU(X1) U(Y1)", true, lockdep.Circular},
		{"rwsem_ABBA3", "WSL(X1) ML(Y1) MU(Y1) WSU(X1) ML(Y1) WSL(X1)! WSU(X1) MU(Y1)", true, lockdep.Circular},
		// "chain cached mixed R-L/L-W ABBA": the chain Y1 -> X1 taken as a
		// reader must not hide the same chain taken as a writer.
		{"rlock_chaincache_ABBA1", "RL(X1) L(Y1) U(Y1) RU(X1) L(Y1) RL(X1) RU(X1) U(Y1) " +
			"L(Y1) WL(X1)! WU(X1) U(Y1)", true, lockdep.Circular},
	}
	for _, c := range cases {
		for _, impl := range []string{"locks", "map"} {
			t.Run(c.name+"/"+impl, func(t *testing.T) {
				runSelftest(t, c.prog, &lockTypes[0], impl == "map", c.fail, c.want, "")
			})
		}
	}
}

// TestSelftestRecursiveReadCycles is the kernel's three-lock rows with
// recursive readers (DO_TESTCASE_6x1RR and 6x1RRB): three events, each
// taking two of X, Y, Z in some mode, in all six orders. A cycle is a
// deadlock unless it enters a lock as a recursive reader and leaves it as a
// reader. The cases are named after what they take, as the kernel's comments
// describe them (the kernel's function names for the last two are swapped).
func TestSelftestRecursiveReadCycles(t *testing.T) {
	cases := []struct {
		name       string
		e1, e2, e3 string
		fail       bool
	}{
		// write-read / write-read / write-read: a deadlock even though
		// the reads are recursive.
		{"W1R2_W2R3_W3R1", "WL(X1) RL(Y1) RU(Y1) WU(X1)", "WL(Y1) RL(Z1) RU(Z1) WU(Y1)", "WL(Z1) RL(X1) RU(X1) WU(Z1)", true},
		// write-write / read-read / write-read: a deadlock.
		{"W1W2_R2R3_W3R1", "WL(X1) WL(Y1) WU(Y1) WU(X1)", "RL(Y1) RL(Z1) RU(Z1) RU(Y1)", "WL(Z1) RL(X1) RU(X1) WU(Z1)", true},
		// write-write / read-read / read-write: Z is entered as a
		// recursive reader and left as a reader, so no deadlock.
		{"W1W2_R2R3_R3W1", "WL(X1) WL(Y1) WU(Y1) WU(X1)", "RL(Y1) RL(Z1) RU(Z1) RU(Y1)", "RL(Z1) WL(X1) WU(X1) RU(Z1)", false},
		// write-read / read-read / write-write: Y is entered as a
		// recursive reader and left as a reader, so no deadlock.
		{"W1R2_R2R3_W3W1", "WL(X1) RL(Y1) RU(Y1) WU(X1)", "RL(Y1) RL(Z1) RU(Z1) RU(Y1)", "WL(Z1) WL(X1) WU(X1) WU(Z1)", false},
	}
	perms := []string{"123", "132", "213", "231", "312", "321"}
	for _, c := range cases {
		events := map[byte]string{'1': c.e1, '2': c.e2, '3': c.e3}
		for _, p := range perms {
			// The report comes from the lock that closes the cycle: the
			// second lock of the last event.
			last := strings.Fields(events[p[2]])
			last[1] += "!"
			prog := events[p[0]] + " " + events[p[1]] + " " + strings.Join(last, " ")
			if !c.fail {
				prog = strings.ReplaceAll(prog, "!", "")
			}
			for _, impl := range []string{"locks", "map"} {
				t.Run(fmt.Sprintf("%s_%s/%s", c.name, p, impl), func(t *testing.T) {
					runSelftest(t, prog, &lockTypes[0], impl == "map", c.fail, lockdep.Circular, "")
				})
			}
		}
	}
}
