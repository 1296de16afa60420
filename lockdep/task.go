package lockdep

import (
	"sync/atomic"
	"time"
)

// Per-goroutine state. A goroutine that takes a lock gets a task: a slot
// in a fixed, open-addressed table keyed by its goroutine id, or, when the
// eight slots of its probe window are all in use, an entry in an overflow
// map. A slot has an owner word (the owner's id, or 0 for a free slot) and
// a task; the task has an active flag that its owner sets and clears:
//
//   - active: the owner holds locks (or untracked acquisitions) or is in an
//     operation; only the owner touches the task;
//   - inactive: the owner held nothing when it last released. It keeps the
//     slot, so its next outermost acquisition only sets the flag and checks
//     that the owner word is still its own, but a goroutine that needs a
//     slot may evict it.
//
// Claiming and evicting are Dekker's protocol: the owner sets active, then
// reads the owner word; an evictor marks the owner word, then reads
// active. At least one of them sees the other, so a goroutine never finds
// its task taken while it uses it. The owner's side is on every outermost
// lock, the evictor's is rare, so the barrier the protocol needs between
// each side's write and read is all on the evictor's side where the kernel
// offers one (Linux's membarrier: fence_linux_amd64.go): the owner's writes
// are plain stores. Elsewhere, and in race builds, the owner's store of the
// flag is an atomic one.
//
// A task stays in its slot and passes to the slot's next owner. Its
// previous owner may still store its flag once more, late (a claim that
// read the task just before the slot changed hands, or was descheduled
// there), and that store may land in the next owner's task: so a task is
// taken to be in use only when its flag is set and the slot's owner word
// names its owner, a failed claim leaves the flag set (clearing it could
// clear the next owner's), and a late store can only make a task look in
// use, never free: an evictor then skips that slot until its owner's next
// release, or until CheckExited finds the owner gone. No path needs to
// know whether a goroutine is still alive: the slots of exited goroutines
// are inactive (evicted on demand) or active with locks they still hold
// (found by CheckExited). Memory is the table plus the tasks of the
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
	_ [64]byte // tasks are written on every operation: keep them off
	// goid is the owner's id, for the owner's own use; owner is the same
	// id for other goroutines, which read it while a new owner sets it.
	goid  int64 // each other's cache lines
	owner atomic.Int64
	// active is set while the owner uses the task (see above), with
	// setActive and clearActive.
	active atomic.Uint32
	depth  int
	held   []heldLock
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
// builds compile both away. Eviction of an inactive slot needs neither:
// race builds store the active flag atomically, and the evictor reads it
// atomically.
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
