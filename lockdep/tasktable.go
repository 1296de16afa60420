package lockdep

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/petermattis/goid"
)

// taskTable keeps the owners dense, eight to a cache line, and a goroutine
// probes only the line its id hashes to, so finding or claiming a slot
// touches one line of owners and one of task pointers. An owner word is
// id<<1 for a slot owned by goroutine id, id<<1|1 while a sweep checks
// whether id uses it or while id takes a free slot over, and 0 for a free
// slot. The protocol is in task.go's
// header.
type taskTable struct {
	owners      [taskSlots]atomic.Int64
	tasks       [taskSlots]atomic.Pointer[task]
	noverflow   atomic.Int32  // entries in overflow: skip it while empty
	overflow    sync.Map      // goroutine id -> *task; lock-free lookups
	droppedHits atomic.Uint64 // chain hits of tasks left behind
	pool        sync.Pool     // overflow tasks no longer used
	// Sweeps (tasktable.go's sweep) run one at a time, under sweepMu;
	// marked, lastFreed and overflowAtSweep are theirs.
	sweepMu         sync.Mutex
	sweeps          atomic.Uint64 // sweeps done
	overflowClaims  atomic.Int64  // claims that went to the overflow map
	marked          []int32
	lastFreed       int
	overflowAtSweep int64
	// asym says that the owner's store of its active flag is a plain
	// store, the evictor fencing for both (fence_linux_amd64.go); decided when the
	// table is made, and never changed while it is in use.
	asym bool
}

func newTaskTable() *taskTable {
	return &taskTable{asym: asymmetricFence, lastFreed: taskSlots}
}

func ownerWord(id int64) int64 { return id << 1 }

const evicting = 1 // the bit an evictor sets in an owner word

// slotBase is the first slot of the probe window of goroutine id.
func slotBase(id int64) int {
	return int((uint64(id)*fibHash)>>(64-10)) &^ (taskProbes - 1)
}

// setActive and clearActive are the owner's writes of its flag. With the
// asymmetric fence they are plain stores: on amd64 every store is a
// release store, the gc compiler does not move a store across the load of
// the owner word that follows setActive, and the evictor's fence orders
// both against its own accesses. Race builds never take that branch (the
// detector cannot see the fence), nor do systems without the fence.
func (tt *taskTable) setActive(t *task) {
	if tt.asym {
		*(*uint32)(unsafe.Pointer(&t.active)) = 1
		return
	}
	t.active.Store(1)
}

func (tt *taskTable) clearActive(t *task) {
	if tt.asym {
		*(*uint32)(unsafe.Pointer(&t.active)) = 0
		return
	}
	t.active.Store(0)
}

// find returns goroutine id's task if it is active, or nil: a goroutine
// that holds nothing has nothing to find. It serves the goroutine itself
// and, for diagnostics, others.
func (tt *taskTable) find(id int64) *task {
	if tt == nil {
		return nil // the off build's static std
	}
	b := slotBase(id)
	for j := b; j < b+taskProbes; j++ {
		if t := tt.tasks[j].Load(); t != nil && t.owner.Load() == id && t.active.Load() != 0 &&
			tt.owners[j].Load()>>1 == id {
			return t
		}
	}
	return tt.findOverflow(id)
}

func (tt *taskTable) findOverflow(id int64) *task {
	if tt.noverflow.Load() == 0 {
		return nil
	}
	if t, ok := tt.overflow.Load(id); ok {
		return t.(*task)
	}
	return nil
}

// ownTask returns the calling goroutine's task; with claim, it makes the
// task active (creating it if needed), else it returns nil for a goroutine
// that holds nothing. It is the fast path of find and claim written out in
// one function, which is what the acquire and release paths call. It
// cannot be inlined (reading the goroutine id is a call already), and
// curGoid is written out: a call of its own cost a nanosecond here.
//
// A task is ours in use when it names us, its flag is set and the slot's
// owner word is ours and unmarked, read in that order: the flag alone could
// be a late store of the task's previous owner (see task.go), and with the
// word marked, a sweep may already have read the flag clear and be about
// to free the slot. A failed claim leaves the flag set, for the first
// reason.
func (tt *taskTable) ownTask(claim bool) *task {
	var id int64
	if goidFast {
		id = goid.Get()
	} else {
		id = slowGoid()
	}
	b := slotBase(id)
	if t := tt.tasks[b].Load(); t != nil && t.owner.Load() == id {
		// The flag, then the owner word, unmarked: a sweep that marks the
		// word later will read the flag set and give the slot back.
		if t.active.Load() != 0 && tt.owners[b].Load() == id<<1 {
			return t
		}
		if claim {
			tt.setActive(t)
			if tt.owners[b].Load() == id<<1 {
				return t
			}
			// Evicted, or being checked by an evictor: the task is ours
			// no longer, or will be again once the evictor sees the flag.
		}
	}
	if !claim {
		return tt.find(id)
	}
	return tt.claimSlow(id)
}

// claimSlow makes the goroutine's task active: its own slot if it still
// has one, else a free slot of its window, else one freed by a sweep of
// the table, else an overflow entry.
func (tt *taskTable) claimSlow(id int64) *task {
	b := slotBase(id)
	for tries := 0; tries < 3; {
		seen := tt.sweeps.Load()
		if t, again := tt.claimOwn(id, b); t != nil {
			return t
		} else if again {
			// A sweep is deciding about our slot. Wait for it, however
			// long: with an overflow task and the slot given back, the
			// goroutine would have two tasks.
			runtime.Gosched()
			continue
		}
		if t := tt.findOverflow(id); t != nil {
			return t
		}
		if t := tt.claimFree(id, b); t != nil {
			return t
		}
		if !tt.sweep(seen) {
			break
		}
		tries++
	}
	tt.overflowClaims.Add(1)
	t, _ := tt.pool.Get().(*task)
	if t == nil {
		t = newTask()
	}
	tt.adopt(t, id, -1)
	tt.setActive(t)
	tt.noverflow.Add(1)
	tt.overflow.Store(id, t)
	return t
}

// claimOwn makes the goroutine's own slot in the window active, if it has
// one; again means a sweep holds the slot's owner word for the moment.
func (tt *taskTable) claimOwn(id int64, b int) (t *task, again bool) {
	for j := b; j < b+taskProbes; j++ {
		w := tt.owners[j].Load()
		if w>>1 != id {
			continue
		}
		if w&evicting != 0 {
			return nil, true
		}
		t := tt.tasks[j].Load()
		if t == nil || t.owner.Load() != id {
			continue // cannot happen: only we make a slot ours
		}
		if t.active.Load() != 0 {
			if tt.owners[j].Load() == w {
				return t, false // as in ownTask: the flag, then the word
			}
			return nil, true
		}
		tt.setActive(t)
		if tt.owners[j].Load() == w {
			return t, false
		}
		return nil, true
	}
	return nil, false
}

// claimFree takes a free slot of the window: the one that still has the
// goroutine's own task if there is one (it was evicted from there: it
// keeps its region), else any, taking over the task left in it. The owner
// word carries the evicting bit while the task changes hands, so that no
// sweep judges the slot by its previous owner's task.
func (tt *taskTable) claimFree(id int64, b int) *task {
	for pass := 0; pass < 2; pass++ {
		for j := b; j < b+taskProbes; j++ {
			if tt.owners[j].Load() != 0 {
				continue
			}
			if t := tt.tasks[j].Load(); pass == 0 && (t == nil || t.owner.Load() != id) {
				continue
			}
			if !tt.owners[j].CompareAndSwap(0, ownerWord(id)|evicting) {
				continue
			}
			t := tt.tasks[j].Load() // again: the slot may have changed hands since
			switch {
			case t == nil:
				t = newTask()
				tt.adopt(t, id, j)
				tt.tasks[j].Store(t)
			case t.owner.Load() == id:
				tt.reset(t)
			default:
				tt.adopt(t, id, j)
			}
			tt.setActive(t)
			tt.owners[j].Store(ownerWord(id))
			return t
		}
	}
	return nil
}

// sweep evicts, with one fence, every inactive slot of the table: it marks
// their owner words, fences, and frees the slots whose owners did not
// become active meanwhile (the others get their owner word back). An
// evicted goroutine that locks again claims a free slot like a new one.
// It reports whether it, or a sweep that ran while it waited for its turn
// (seen is the count of sweeps before), may have freed a slot.
//
// Its cost, a pass over the table, is bounded per claim: a sweep that
// freed less than an eighth of the table allows the next one only after
// as many claims went to the overflow map.
func (tt *taskTable) sweep(seen uint64) bool {
	tt.sweepMu.Lock()
	defer tt.sweepMu.Unlock()
	if tt.sweeps.Load() != seen {
		return true
	}
	if tt.lastFreed < taskSlots/8 && tt.overflowClaims.Load()-tt.overflowAtSweep < taskSlots/8 {
		return false
	}
	marked := tt.marked[:0]
	for j := range tt.owners {
		w := tt.owners[j].Load()
		if w == 0 || w&evicting != 0 {
			continue
		}
		if t := tt.tasks[j].Load(); t == nil || t.active.Load() != 0 {
			continue
		}
		if tt.owners[j].CompareAndSwap(w, w|evicting) {
			marked = append(marked, int32(j))
		}
	}
	fenced := len(marked) == 0 || !tt.asym || fence()
	freed := 0
	for _, j := range marked {
		w := tt.owners[j].Load() &^ evicting
		t := tt.tasks[j].Load()
		if !fenced || t.active.Load() != 0 {
			tt.owners[j].Store(w)
			continue
		}
		tt.owners[j].Store(0) // its task stays, chain hits included, for the slot's next owner
		freed++
	}
	tt.marked = marked
	tt.lastFreed = freed
	tt.overflowAtSweep = tt.overflowClaims.Load()
	tt.sweeps.Add(1)
	return freed > 0
}

// adopt makes t the task of goroutine id in slot (-1: overflow): a new
// task, the task left in a free slot, or a pooled overflow task; it keeps
// nothing of its previous owner.
func (tt *taskTable) adopt(t *task, id int64, slot int) {
	t.owner.Store(id)
	t.goid, t.slot = id, slot
	t.nregion, t.lastSent = 0, 0
	tt.reset(t)
}

// reset clears what a task kept from its last hold of locks. It keeps the
// owner's region and last channel (event.go, chan.go), which a goroutine
// that gets its own evicted task back still needs.
func (tt *taskTable) reset(t *task) {
	if t.chainHits != 0 {
		tt.droppedHits.Add(t.chainHits)
		t.chainHits = 0
	}
	t.depth, t.depthReported = 0, false
	t.extra, t.lost = t.extra[:0], 0
	if t.pending.Load() {
		t.takeRemote() // stale posts meant for an earlier hold
	}
}

// settle makes a task that holds nothing inactive: its slot may be taken
// by another goroutine from now on, and an overflow task leaves the map.
// The owner must not touch the task afterwards until it claims it again.
// Map.Release writes out the case of a table slot; keep the two alike.
func (tt *taskTable) settle(t *task) {
	if t.depth != 0 || t.untracked() || t.pending.Load() {
		return
	}
	t.depthReported = false
	if t.slot >= 0 {
		tt.clearActive(t)
		return
	}
	if _, ok := tt.overflow.LoadAndDelete(t.goid); ok {
		tt.noverflow.Add(-1)
		tt.droppedHits.Add(t.chainHits)
		t.chainHits = 0
		tt.clearActive(t)
		tt.pool.Put(t)
	}
}

// free forgets the task of a goroutine that has exited (CheckExited).
func (tt *taskTable) free(t *task) {
	t.depth = 0
	t.extra, t.lost = t.extra[:0], 0
	if t.pending.Load() {
		t.takeRemote()
	}
	tt.settle(t)
}

// each calls f for every active task: the ones that may hold locks. The
// held lists are read without synchronisation (see snapshotTask), so this
// is for diagnostics: held-lock dumps, foreign unlocks, statistics.
func (tt *taskTable) each(f func(*task)) {
	if tt == nil {
		return
	}
	for i := range tt.owners {
		if t := tt.tasks[i].Load(); t != nil && t.active.Load() != 0 && tt.owners[i].Load()>>1 == t.owner.Load() {
			f(t)
		}
	}
	if tt.noverflow.Load() == 0 {
		return
	}
	tt.overflow.Range(func(_, t any) bool {
		f(t.(*task))
		return true
	})
}

// allTasks calls f for every slot's task, active or not (for statistics).
func (tt *taskTable) allTasks(f func(*task)) {
	if tt == nil {
		return
	}
	for i := range tt.tasks {
		if t := tt.tasks[i].Load(); t != nil {
			f(t)
		}
	}
}
