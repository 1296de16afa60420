package lockdep

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/petermattis/goid"
)

// Per-goroutine state. A goroutine that takes a lock gets a slot in a
// fixed, open-addressed table keyed by its goroutine id, claimed with one
// compare-and-swap the first time. It keeps the slot while it lives, so
// taking and releasing locks afterwards costs no atomic read-modify-write
// at all; the slot and its task struct are reused once the goroutine has
// exited (goroutine ids are never reused, so a dead owner cannot come back
// and race with the new one). Goroutines that find their probe window full
// use an overflow map, and leave it as soon as they hold nothing. Memory
// is therefore bounded by the table size plus the goroutines that hold
// locks at one time, however many goroutines ever ran.
//
// Only the owner reads or writes its held locks, so the fast path takes no
// lock. Another goroutine that must change them (an unlock of a lock this
// goroutine holds) queues the change on remote, and the owner applies it at
// its next operation.

const (
	taskSlots  = 1024 // power of two
	taskProbes = 8    // slots in one probe window: one cache line of owners
)

type heldLock struct {
	m        *Map
	class    *class
	nest     *Map   // the outer lock of a nest-lock acquisition
	chainKey uint64 // hash of the chain up to and including this lock
	since    int64  // when it was taken, if statistics are on
	refs     int32  // acquisitions merged into this entry (nest locks)
	mode     Mode
	try      bool
	sub      uint8
	merged   bool // refs went above 1: the entry stands for its class
	waiting  bool // announced, but the goroutine is still waiting for it
}

type task struct {
	_     [64]byte // tasks are written on every operation: keep them off
	goid  int64    // each other's cache lines
	depth int
	held  []heldLock
	// extra holds acquisitions the validator could not track (too deep,
	// invalid subclass), so that their releases are not reported.
	extra []*Map
	// remote is a stack of releases made by other goroutines of locks this
	// goroutine holds; pending tells the owner to look at it.
	remote  atomic.Pointer[remoteRelease]
	pending atomic.Bool
	// chainHits counts validations skipped by the chain cache; written by
	// the owner only and summed racily by Stats.
	chainHits uint64
	slot      int           // index in the table; -1 for a task in the overflow map
	raceSeq   atomic.Uint64 // race builds only: see publish
	_         [64]byte
}

// publish ends every operation in which the owner changed its task, and
// observe precedes every use of a dead goroutine's task by another one
// (reclaiming its slot, reporting its held locks). What makes that reuse
// safe is that the owner has exited, and that the validator found out by
// listing goroutines with runtime.Stack, which stops the world; the race
// detector cannot see either, so in race builds the owner publishes its
// writes with an atomic add and the reuser observes them with an atomic
// load. Other builds compile both away.
func (t *task) publish() {
	if raceEnabled {
		t.raceSeq.Add(1)
	}
}

func (t *task) observe() {
	if raceEnabled {
		t.raceSeq.Load()
	}
}

type remoteRelease struct {
	m    *Map
	next *remoteRelease
}

// The table keeps the owners dense, eight to a cache line, and a goroutine
// probes only the line its id hashes to, so finding or claiming a slot
// touches one line.
type taskTable struct {
	owners      [taskSlots]atomic.Int64
	tasks       [taskSlots]atomic.Pointer[task]
	noverflow   atomic.Int32  // entries in overflow: skip it while empty
	overflow    sync.Map      // goroutine id -> *task; lock-free lookups
	droppedHits atomic.Uint64 // chain hits of overflow tasks already dropped

	reclaimMu   sync.Mutex
	lastReclaim time.Time
}

// slotBase is the first slot of the probe window of goroutine id.
func slotBase(id int64) int {
	return int((uint64(id)*0x9E3779B97F4A7C15)>>(64-10)) &^ (taskProbes - 1)
}

// find returns the calling goroutine's task, or nil if it has none. A
// goroutine's slot is usually the first of its window: that case inlines.
func (tt *taskTable) find(id int64) *task {
	if b := slotBase(id); tt.owners[b].Load() == id {
		return tt.tasks[b].Load()
	}
	return tt.findSlow(id)
}

func (tt *taskTable) findSlow(id int64) *task {
	b := slotBase(id)
	for j := b + 1; j < b+taskProbes; j++ {
		if tt.owners[j].Load() == id {
			return tt.tasks[j].Load()
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

// ownTask returns the calling goroutine's task; with claim, it creates one
// if needed, else it returns nil for a goroutine that never took a lock.
// It is the fast path of curGoid, find and claim written out in one
// function, which is what the acquire and release paths call.
func (tt *taskTable) ownTask(claim bool, maxDepth int) *task {
	var id int64
	if goidFast {
		id = goid.Get()
	} else {
		id = slowGoid()
	}
	b := int((uint64(id)*0x9E3779B97F4A7C15)>>(64-10)) &^ (taskProbes - 1)
	if tt.owners[b].Load() == id {
		return tt.tasks[b].Load()
	}
	if claim {
		return tt.claimSlow(id, maxDepth)
	}
	return tt.findSlow(id)
}

// claim returns the calling goroutine's task, creating it if needed.
func (tt *taskTable) claim(id int64, maxDepth int) *task {
	if b := slotBase(id); tt.owners[b].Load() == id {
		return tt.tasks[b].Load()
	}
	return tt.claimSlow(id, maxDepth)
}

// claimSlow makes one pass over the probe window to find the goroutine's
// slot or a free one.
func (tt *taskTable) claimSlow(id int64, maxDepth int) *task {
	b := slotBase(id)
	free := -1
	for j := b; j < b+taskProbes; j++ {
		switch tt.owners[j].Load() {
		case id:
			return tt.tasks[j].Load()
		case 0:
			if free < 0 {
				free = j
			}
		}
	}
	if t := tt.findOverflow(id); t != nil {
		return t
	}
	// The goroutine has no slot yet. Another goroutine may take a free
	// slot first, so try each free slot in turn; if the window is full,
	// reclaim the slots of goroutines that have exited and try again.
	for attempt := 0; attempt < 2; attempt++ {
		for j := b; j < b+taskProbes && free >= 0; j++ {
			if tt.owners[j].Load() == 0 && tt.owners[j].CompareAndSwap(0, id) {
				t := tt.tasks[j].Load()
				if t == nil || len(t.held) != maxDepth {
					t = &task{held: make([]heldLock, maxDepth)}
					tt.tasks[j].Store(t)
				}
				t.goid = id
				t.slot = j
				return t
			}
		}
		if attempt == 0 && !tt.reclaim(b) {
			break
		}
		free = b
	}
	t := &task{goid: id, held: make([]heldLock, maxDepth), slot: -1}
	tt.noverflow.Add(1)
	tt.overflow.Store(id, t)
	return t
}

// drop forgets an overflow task once it holds nothing. A task in a slot
// stays there while its goroutine lives.
func (tt *taskTable) drop(t *task) {
	if t.slot >= 0 {
		return
	}
	if _, ok := tt.overflow.LoadAndDelete(t.goid); ok {
		tt.noverflow.Add(-1)
		tt.droppedHits.Add(t.chainHits)
	}
}

// free gives a slot back; only for slots whose owner has exited.
func (tt *taskTable) free(t *task) {
	t.depth = 0
	t.extra = t.extra[:0]
	if t.slot >= 0 {
		tt.owners[t.slot].CompareAndSwap(t.goid, 0)
		return
	}
	tt.drop(t)
}

// reclaim frees the slots of the window at b whose owners have exited and
// hold no locks, and reports whether it freed any. Listing the goroutines
// stops the world, so it runs at most once per reclaimInterval.
func (tt *taskTable) reclaim(b int) bool {
	tt.reclaimMu.Lock()
	defer tt.reclaimMu.Unlock()
	if time.Since(tt.lastReclaim) < reclaimInterval {
		return false
	}
	tt.lastReclaim = time.Now()
	alive := liveGoroutines()
	freed := false
	for j := range tt.owners {
		id := tt.owners[j].Load()
		if id == 0 || alive[id] {
			continue
		}
		if t := tt.tasks[j].Load(); t != nil && heldDepth(t) == 0 {
			t.observe()
			freed = tt.owners[j].CompareAndSwap(id, 0) && (j >= b && j < b+taskProbes) || freed
		}
	}
	return freed
}

const reclaimInterval = 50 * time.Millisecond

// each calls f for every task that may hold locks. The held lists are read
// without synchronisation (see snapshotTask), so this is for diagnostics:
// held-lock dumps, foreign unlocks, statistics.
func (tt *taskTable) each(f func(*task)) {
	for i := range tt.owners {
		if tt.owners[i].Load() != 0 {
			if t := tt.tasks[i].Load(); t != nil {
				f(t)
			}
		}
	}
	tt.overflow.Range(func(_, t any) bool {
		f(t.(*task))
		return true
	})
}

// allTasks calls f for every slot's task, owned or not (for statistics).
func (tt *taskTable) allTasks(f func(*task)) {
	for i := range tt.tasks {
		if t := tt.tasks[i].Load(); t != nil {
			f(t)
		}
	}
}

// postRemote queues a release of m for the owner of t.
func (t *task) postRemote(m *Map) {
	r := &remoteRelease{m: m}
	for {
		old := t.remote.Load()
		r.next = old
		if t.remote.CompareAndSwap(old, r) {
			break
		}
	}
	t.pending.Store(true)
}

// visibleHeld is another goroutine's held locks as they stand once its
// queued releases are applied: what a held-lock dump should show.
func (t *task) visibleHeld() (int64, []heldLock) {
	id, held := heldSnapshot(t)
	pending := make(map[*Map]int)
	for r := t.remote.Load(); r != nil; r = r.next {
		pending[r.m]++
	}
	if len(pending) == 0 {
		return id, held
	}
	out := held[:0]
	for i := len(held) - 1; i >= 0; i-- { // releases apply from the top
		if pending[held[i].m] > 0 {
			pending[held[i].m]--
			continue
		}
		out = append(out, held[i])
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return id, out
}

// takeRemote returns the queued releases, oldest first.
func (t *task) takeRemote() []*Map {
	t.pending.Store(false)
	r := t.remote.Swap(nil)
	var ms []*Map
	for ; r != nil; r = r.next {
		ms = append(ms, r.m)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}
