package lockdep

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/petermattis/goid"
)

// Per-goroutine state. A goroutine that takes a lock gets a task: a slot
// in a fixed, open-addressed table keyed by its goroutine id, or, when the
// eight slots of its probe window are all busy, an entry in an overflow
// map. Each slot's owner word holds the owner's id and a busy bit:
//
//   - busy: the owner holds locks (or untracked acquisitions); only the
//     owner touches the task, with no atomic operation at all;
//   - idle: the owner held nothing when it last released. It keeps the
//     slot, so its next outermost acquisition costs one uncontended
//     compare-and-swap (idle -> busy), but any goroutine that needs a slot
//     may take the idle slot with a compare-and-swap of its own.
//
// The two compare-and-swaps on one word decide who owns the task, so a
// goroutine never finds its task stolen while it uses it, and no path ever
// needs to know whether a goroutine is still alive: the slots of exited
// goroutines are idle (taken over on demand) or busy with locks they still
// hold (found by CheckExited). Memory is the table plus the tasks of the
// goroutines that hold locks at one time; the cost per goroutine is O(1)
// whatever the number of goroutines, and nothing stops the world.
//
// Another goroutine that must change a task's held locks (an unlock of a
// lock this goroutine holds) queues the change on remote, and the owner
// applies it at its next operation.

const (
	taskSlots   = 1024 // power of two
	taskProbes  = 8    // slots in one probe window: one cache line of owners
	initialHeld = 4    // held-lock entries a new task starts with; grown up to MaxDepth
	maxExtra    = 1 << 16
)

type heldLock struct {
	m        *Map
	class    *class
	nest     *Map       // the outer lock of a nest-lock acquisition
	token    *holdToken // what is provisional about this hold (hold.go); usually nil
	chainKey uint64     // hash of the chain up to and including this lock
	since    int64      // when it was taken, if statistics are on
	refs     int32      // acquisitions merged into this entry (nest locks)
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
	// view is held as other goroutines may read it: the owner replaces the
	// slice when it grows, and a slice header read while being written
	// could pair the new length with the old array.
	view atomic.Pointer[[]heldLock]
	// extra holds acquisitions the validator could not track (too deep,
	// invalid subclass, class limit) and read holds another goroutine's
	// unlock may have ended (see releaseForeign), so that their releases
	// are accepted silently. lost counts the ones beyond maxExtra.
	extra []*Map
	lost  int
	// waitTimer makes the reports waiting on this goroutine's holds if it
	// stays blocked on a lock (hold.go); nil when none wait.
	waitTimer *time.Timer
	// depthReported is set once a DepthExceeded report was made for the
	// current nest: one report per goroutine, not one per lock.
	depthReported bool
	// remote is a stack of releases made by other goroutines of locks this
	// goroutine holds; pending tells the owner to look at it.
	remote  atomic.Pointer[remoteRelease]
	pending atomic.Bool
	// region is the goroutine's region for event completions (event.go):
	// the last outermost lock classes taken since its last wait.
	region  [regionSize]regionEntry
	nregion uint32
	// lastSent is the channel the goroutine last sent to (chan.go).
	lastSent uintptr
	// chainHits counts validations skipped by the chain cache; written by
	// the owner only and summed racily by Stats.
	chainHits uint64
	slot      int           // index in the table; -1 for a task in the overflow map
	raceSeq   atomic.Uint64 // race builds only: see publish
	_         [64]byte
}

func newTask() *task {
	held := make([]heldLock, initialHeld)
	t := &task{held: held}
	t.view.Store(&held)
	return t
}

// heldView returns the held list for a reader other than the owner.
func (t *task) heldView() []heldLock {
	if p := t.view.Load(); p != nil {
		return *p
	}
	return nil
}

// untracked reports whether the task has acquisitions outside its held list.
func (t *task) untracked() bool { return len(t.extra) != 0 || t.lost != 0 }

// publish ends every operation in which the owner changed its task, and
// observe precedes every use of a dead goroutine's busy task by another one
// (CheckExited reporting its held locks). What makes that use safe is that
// the owner has exited, and that the validator found out by listing
// goroutines with runtime.Stack, which stops the world; the race detector
// cannot see either, so in race builds the owner publishes its writes with
// an atomic add and the reader observes them with an atomic load. Other
// builds compile both away. Hand-over of an idle slot needs neither: the
// owner's release store and the taker's compare-and-swap order it.
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
	m       *Map
	goid    int64 // the owner it was meant for: stale posts are ignored
	forgive bool  // keep it in extra: the owner's own release is expected
	next    *remoteRelease
}

// taskTable keeps the owners dense, eight to a cache line, and a goroutine
// probes only the line its id hashes to, so finding or claiming a slot
// touches one line. An owner word is id<<1|busy; zero is a slot never used.
type taskTable struct {
	owners      [taskSlots]atomic.Int64
	tasks       [taskSlots]atomic.Pointer[task]
	noverflow   atomic.Int32  // entries in overflow: skip it while empty
	overflow    sync.Map      // goroutine id -> *task; lock-free lookups
	droppedHits atomic.Uint64 // chain hits of tasks reset for a new owner
	pool        sync.Pool     // overflow tasks no longer used
}

func busyWord(id int64) int64 { return id<<1 | 1 }
func idleWord(id int64) int64 { return id << 1 }

// slotBase is the first slot of the probe window of goroutine id.
func slotBase(id int64) int {
	return int((uint64(id)*fibHash)>>(64-10)) &^ (taskProbes - 1)
}

// find returns the calling goroutine's task if it is busy, or nil: a
// goroutine that holds nothing has nothing to find.
func (tt *taskTable) find(id int64) *task {
	if tt == nil {
		return nil // the off build's static std
	}
	if b := slotBase(id); tt.owners[b].Load() == busyWord(id) {
		return tt.tasks[b].Load()
	}
	return tt.findSlow(id)
}

func (tt *taskTable) findSlow(id int64) *task {
	b := slotBase(id)
	for j := b + 1; j < b+taskProbes; j++ {
		if tt.owners[j].Load() == busyWord(id) {
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

// ownTask returns the calling goroutine's task; with claim, it makes the
// task busy (creating it if needed), else it returns nil for a goroutine
// that holds nothing. It is the fast path of find and claim written out in
// one function, which is what the acquire and release paths call.
func (tt *taskTable) ownTask(claim bool) *task {
	var id int64
	if goidFast {
		id = goid.Get()
	} else {
		id = slowGoid()
	}
	b := int((uint64(id)*fibHash)>>(64-10)) &^ (taskProbes - 1)
	w := tt.owners[b].Load()
	if w == id<<1|1 {
		return tt.tasks[b].Load()
	}
	if !claim {
		return tt.findSlow(id)
	}
	if w == id<<1 && tt.owners[b].CompareAndSwap(w, w|1) {
		return tt.tasks[b].Load()
	}
	return tt.claimSlow(id)
}

// claimSlow makes the goroutine's task busy: its own slot if it still has
// one, else a free or idle slot of its window, else an overflow entry.
func (tt *taskTable) claimSlow(id int64) *task {
	b := slotBase(id)
	for j := b; j < b+taskProbes; j++ {
		switch w := tt.owners[j].Load(); w {
		case busyWord(id):
			return tt.tasks[j].Load()
		case idleWord(id):
			if tt.owners[j].CompareAndSwap(w, busyWord(id)) {
				return tt.tasks[j].Load()
			}
		}
	}
	if t := tt.findOverflow(id); t != nil {
		return t
	}
	for j := b; j < b+taskProbes; j++ {
		w := tt.owners[j].Load()
		if w&1 == 0 && tt.owners[j].CompareAndSwap(w, busyWord(id)) {
			t := tt.tasks[j].Load()
			if t == nil {
				t = newTask()
				tt.tasks[j].Store(t)
			}
			tt.adopt(t, id, j)
			return t
		}
	}
	t, _ := tt.pool.Get().(*task)
	if t == nil {
		t = newTask()
	}
	tt.adopt(t, id, -1)
	tt.noverflow.Add(1)
	tt.overflow.Store(id, t)
	return t
}

// adopt resets a task for a new owner. The previous owner left it idle:
// nothing held, nothing untracked.
func (tt *taskTable) adopt(t *task, id int64, slot int) {
	if t.chainHits != 0 {
		tt.droppedHits.Add(t.chainHits)
		t.chainHits = 0
	}
	t.goid, t.slot = id, slot
	t.depth, t.depthReported = 0, false
	t.nregion, t.lastSent = 0, 0
	t.extra, t.lost = t.extra[:0], 0
	if t.pending.Load() {
		t.takeRemote() // stale posts meant for the previous owner
	}
}

// settle makes a task that holds nothing idle: its slot may be taken by
// another goroutine from now on, and an overflow task leaves the map. The
// owner must not touch the task afterwards until it claims it again.
// Map.Release writes out the case of a table slot; keep the two alike.
func (tt *taskTable) settle(t *task) {
	if t.depth != 0 || t.untracked() || t.pending.Load() {
		return
	}
	t.depthReported = false
	if t.slot >= 0 {
		storeRelease(&tt.owners[t.slot], idleWord(t.goid))
		return
	}
	if _, ok := tt.overflow.LoadAndDelete(t.goid); ok {
		tt.noverflow.Add(-1)
		tt.droppedHits.Add(t.chainHits)
		t.chainHits = 0
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

// each calls f for every busy task: the ones that may hold locks. The held
// lists are read without synchronisation (see snapshotTask), so this is for
// diagnostics: held-lock dumps, foreign unlocks, statistics.
func (tt *taskTable) each(f func(*task)) {
	if tt == nil {
		return
	}
	for i := range tt.owners {
		if tt.owners[i].Load()&1 != 0 {
			if t := tt.tasks[i].Load(); t != nil {
				f(t)
			}
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

// allTasks calls f for every slot's task, busy or not (for statistics).
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

// grow doubles the held list, up to max entries; it reports whether there
// is room for one more.
func (t *task) grow(max int) bool {
	n := len(t.held)
	if n >= max {
		return false
	}
	m := 2 * n
	if m > max {
		m = max
	}
	held := make([]heldLock, m)
	copy(held, t.held[:t.depth])
	t.held = held
	t.view.Store(&held)
	return true
}

// postRemote queues a release of m for the owner of t.
func (t *task) postRemote(m *Map, owner int64, forgive bool) {
	r := &remoteRelease{m: m, goid: owner, forgive: forgive}
	for {
		old := t.remote.Load()
		r.next = old
		if t.remote.CompareAndSwap(old, r) {
			break
		}
	}
	t.pending.Store(true)
}

// pendingFor counts the queued releases of m.
func (t *task) pendingFor(m *Map) int {
	n := 0
	for r := t.remote.Load(); r != nil; r = r.next {
		if r.m == m {
			n++
		}
	}
	return n
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
func (t *task) takeRemote() []*remoteRelease {
	t.pending.Store(false)
	r := t.remote.Swap(nil)
	var rs []*remoteRelease
	for ; r != nil; r = r.next {
		rs = append(rs, r)
	}
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return rs
}
