//go:build !lockdep_off

package lockdep

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The task table's claim and eviction protocol (task.go, tasktable.go),
// under both of its fences: the asymmetric one where this system has it,
// and the atomic store that every other system and race builds use.
func tableModes(t *testing.T) []bool {
	modes := []bool{false}
	if asymmetricFence {
		modes = append(modes, true)
	} else {
		t.Log("no asymmetric fence here (not linux/amd64, a race build, or membarrier refused): only the atomic mode runs")
	}
	return modes
}

// inEachMode runs test once per fence mode, each time on a validator of its
// own, and fails it on any report.
func inEachMode(t *testing.T, test func(t *testing.T, v *Validator)) {
	for _, asym := range tableModes(t) {
		t.Run(fmt.Sprintf("asym=%v", asym), func(t *testing.T) {
			v, reports := newTableValidator(t, asym)
			test(t, v)
			if n := reports.Load(); n != 0 {
				t.Errorf("%d reports", n)
			}
		})
	}
}

func newTableValidator(t *testing.T, asym bool) (*Validator, *atomic.Int64) {
	t.Helper()
	var reports atomic.Int64
	v, err := New(Options{Handler: func(r *Report) {
		if reports.Add(1) <= 3 {
			t.Errorf("unexpected report: %s", r.Message)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	v.tasks.asym = asym // before any goroutine uses the table
	return v, &reports
}

// TestTaskTableChurn: many more goroutines than slots lock and unlock at
// once, so that slots are evicted and claimed all the time, while a
// quarter of them hold a lock of their own across the churn. A holder's
// task must never be taken: its release must find the lock held, and at a
// quiet point every holder, and only they, must be listed.
func TestTaskTableChurn(t *testing.T) {
	goroutines, rounds := 6000, 20
	if testing.Short() {
		goroutines, rounds = 3000, 10
	}
	inEachMode(t, func(t *testing.T, v *Validator) {
		var ownKey, sharedKey Key
		shared := v.NewMap("shared", &sharedKey)
		var lost atomic.Int64
		var wg sync.WaitGroup
		held := make(chan struct{})
		var churned sync.WaitGroup // every goroutine's rounds are done
		for g := 0; g < goroutines; g++ {
			wg.Add(1)
			churned.Add(1)
			holder := g%4 == 0
			go func() {
				defer wg.Done()
				own := v.NewMap("own", &ownKey)
				if holder {
					own.Acquire(0, Exclusive)
				}
				for r := 0; r < rounds; r++ {
					shared.Acquire(0, Shared)
					runtime.Gosched()
					if !shared.Release() {
						lost.Add(1)
					}
				}
				churned.Done()
				if holder {
					<-held
					if !own.Release() {
						lost.Add(1)
					}
				}
			}()
		}
		churned.Wait()
		if got, want := len(v.AllHeldLocks()), (goroutines+3)/4; got != want {
			t.Errorf("%d goroutines listed as holding locks at the quiet point, want %d", got, want)
		}
		close(held)
		wg.Wait()
		if n := lost.Load(); n != 0 {
			t.Errorf("%d releases did not find their goroutine's lock: a task was taken while in use", n)
		}
		if n := len(v.AllHeldLocks()); n != 0 {
			t.Errorf("%d goroutines still listed as holding locks", n)
		}
		if v.tasks.sweeps.Load() == 0 {
			t.Errorf("no sweep happened: the test did not exercise the protocol")
		}
	})
}

// TestTaskTableOwnSlotComesBack: a goroutine evicted while it held
// nothing claims a slot again at its next lock, with its state reset,
// and is listed while it holds it.
func TestTaskTableOwnSlotComesBack(t *testing.T) {
	inEachMode(t, func(t *testing.T, v *Validator) {
		var key Key
		m := v.NewMap("m", &key)
		m.Acquire(0, Exclusive)
		m.Release()
		// Fill every window with inactive owners (goroutines that
		// locked once and exited), evicting ours sooner or later.
		var wg sync.WaitGroup
		for g := 0; g < 4*taskSlots; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := v.NewMap("n", &key)
				n.Acquire(0, Exclusive)
				n.Release()
			}()
			if g%64 == 0 {
				wg.Wait()
			}
		}
		wg.Wait()
		m.Acquire(0, Exclusive)
		if got := len(v.AllHeldLocks()); got != 1 {
			t.Errorf("%d goroutines listed, want 1 (this one)", got)
		}
		if !m.Release() {
			t.Errorf("release did not find the lock")
		}
	})
}

// TestTaskTableEvictedKeepsRegion: a goroutine evicted by a sweep while it
// held nothing gets its own task back from its free slot at its next lock,
// with its region (the classes it took since its last wait) intact, and
// only its own task: the sweep took nothing from a goroutine that held a
// lock.
func TestTaskTableEvictedKeepsRegion(t *testing.T) {
	inEachMode(t, func(t *testing.T, v *Validator) {
		var aKey, bKey Key
		a, b := v.NewMap("a", &aKey), v.NewMap("b", &bKey)
		a.Acquire(0, Exclusive)
		a.Release()
		before := v.tasks.ownTask(false)
		if before != nil {
			t.Fatalf("a goroutine that holds nothing has an active task")
		}
		holding, release := make(chan struct{}), make(chan struct{})
		go func() {
			b.Acquire(0, Exclusive)
			close(holding)
			<-release
			b.Release()
		}()
		<-holding
		if !v.tasks.sweep(v.tasks.sweeps.Load()) {
			t.Fatalf("the sweep freed nothing")
		}
		if got := len(v.AllHeldLocks()); got != 1 {
			t.Errorf("%d goroutines listed after the sweep, want 1 (the holder)", got)
		}
		b.Acquire(0, Exclusive)
		own := v.tasks.ownTask(false)
		if own == nil || own.nregion < 2 || own.region[0].c.name != "a" {
			t.Errorf("the region of the evicted goroutine was lost: %+v", own)
		}
		b.Release()
		close(release)
	})
}

// slotOf returns the slot whose owner word names goroutine id, or -1.
func slotOf(tt *taskTable, id int64) int {
	for j := range tt.owners {
		if tt.owners[j].Load()>>1 == id {
			return j
		}
	}
	return -1
}

// puppet is a goroutine that takes and releases its lock m when told, so
// that a test can set the table's state between its steps.
type puppet struct {
	id    int64
	slot  int // its slot after newPuppet
	m     *Map
	steps chan func(*testing.T)
	done  chan struct{}
}

// newPuppet starts a puppet on a lock of its own in v that has locked and
// unlocked it once: it has a slot, inactive.
func newPuppet(t *testing.T, v *Validator) *puppet {
	m := v.NewMap("m", new(Key))
	p := &puppet{m: m, steps: make(chan func(*testing.T)), done: make(chan struct{})}
	ids := make(chan int64)
	go func() {
		m.Acquire(0, Exclusive)
		m.Release()
		ids <- curGoid()
		for step := range p.steps {
			step(t)
			p.done <- struct{}{}
		}
	}()
	p.id = <-ids
	if p.slot = slotOf(v.tasks, p.id); p.slot < 0 {
		t.Fatal("the goroutine has no slot")
	}
	return p
}

// start has the puppet run step; wait waits for it to finish; do is both.
func (p *puppet) start(step func(*testing.T)) { p.steps <- step }
func (p *puppet) wait()                       { <-p.done }
func (p *puppet) do(step func(*testing.T))    { p.start(step); p.wait() }
func (p *puppet) stop()                       { close(p.steps) }

// lock and unlock are the puppet's steps.
func (p *puppet) lock(*testing.T) { p.m.Acquire(0, Exclusive) }

func (p *puppet) unlock(t *testing.T) {
	if !p.m.Release() {
		t.Errorf("the release did not find the lock")
	}
}

// TestTaskTableLateFlagStore: a previous owner's late store of the active
// flag (its claim raced with the slot's hand-over) lands in the next
// owner's task, here simulated by setting the flag of an inactive
// goroutine's task. It may only keep the slot from being swept: the owner
// still locks and unlocks without a report, its release clears the flag,
// and a sweep then frees the slot; a store after that does not give the
// owner its task back; for an owner that exited, CheckExited clears it.
func TestTaskTableLateFlagStore(t *testing.T) {
	inEachMode(t, func(t *testing.T, v *Validator) {
		p := newPuppet(t, v)
		defer p.stop()
		j := p.slot
		task := v.tasks.tasks[j].Load()
		task.active.Store(1) // the late store
		v.tasks.sweep(v.tasks.sweeps.Load())
		if slotOf(v.tasks, p.id) != j {
			t.Fatalf("a sweep freed a slot whose task looked in use")
		}
		p.do(p.lock)
		p.do(p.unlock)
		if task.active.Load() != 0 {
			t.Errorf("the owner's release left the flag set")
		}
		v.tasks.lastFreed = taskSlots // allow the next sweep
		v.tasks.sweep(v.tasks.sweeps.Load())
		if slotOf(v.tasks, p.id) >= 0 {
			t.Errorf("the slot of an inactive goroutine survived a sweep")
		}

		// The late store lands after the sweep freed the slot: the task
		// names its owner and looks in use, but the slot is not the
		// owner's any more, and its next lock must claim one.
		task.active.Store(1)
		p.do(p.lock)
		if got := len(v.AllHeldLocks()); got != 1 {
			t.Errorf("%d goroutines listed while one holds a lock: it took its task back from a freed slot", got)
		}
		p.do(p.unlock)

		// The same late store on the task of a goroutine that exited.
		gone := newPuppet(t, v)
		j = gone.slot
		v.tasks.tasks[j].Load().active.Store(1)
		gone.stop()
		for i := 0; i < 1000 && v.tasks.tasks[j].Load().active.Load() != 0; i++ {
			v.CheckExited() // frees it once the goroutine has exited
			runtime.Gosched()
		}
		if v.tasks.tasks[j].Load().active.Load() != 0 {
			t.Errorf("CheckExited left the flag of an exited goroutine's task set")
		}
	})
}

// TestFenceMode says which protocol the default validator's table runs:
// the asymmetric fence, or the atomic store (LOCKDEP_FENCE=off, other
// systems, race builds). CI runs the library's tests in both.
func TestFenceMode(t *testing.T) {
	if os.Getenv("LOCKDEP_FENCE") == "off" && (asymmetricFence || std.tasks.asym) {
		t.Fatal("LOCKDEP_FENCE=off, but the fence is in use")
	}
	t.Logf("asymmetric fence: %v", std.tasks.asym)
}

// TestTaskTableMarkedWord: a sweep has marked a slot's owner word and read
// its flag clear, so it will free the slot; a late store then sets the flag.
// The owner's next lock must not take the task as its own in use (the word
// is marked): it waits for the sweep and claims a slot, and is listed while
// it holds the lock.
func TestTaskTableMarkedWord(t *testing.T) {
	inEachMode(t, func(t *testing.T, v *Validator) {
		p := newPuppet(t, v)
		defer p.stop()
		j := p.slot
		if !v.tasks.owners[j].CompareAndSwap(ownerWord(p.id), ownerWord(p.id)|evicting) {
			t.Fatal("could not mark the goroutine's slot")
		}
		v.tasks.tasks[j].Load().active.Store(1) // the late store, after the sweep read the flag
		p.start(p.lock)
		locked := false
		select {
		case <-p.done:
			locked = true
		case <-time.After(20 * time.Millisecond): // it waits for the sweep, as it should
		}
		v.tasks.owners[j].Store(0) // the sweep frees the slot
		if !locked {
			p.wait()
		}
		if got := len(v.AllHeldLocks()); got != 1 {
			t.Errorf("%d goroutines listed while one holds a lock: it took a task whose slot a sweep freed", got)
		}
		p.do(p.unlock)
	})
}
