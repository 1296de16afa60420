package lockdep

import (
	"sync"
	"sync/atomic"
)

// Per-goroutine state. Each goroutine that holds at least one lock owns a
// slot in a fixed, open-addressed table keyed by its goroutine id; it claims
// the slot with one compare-and-swap when it takes its first lock and gives
// it back with one store when it releases its last, so a goroutine that
// holds nothing costs nothing. Only the owner reads or writes its held
// locks, so the fast path takes no lock. Another goroutine that must change
// them (an unlock of a lock this goroutine holds) queues the change on
// remote, and the owner applies it at its next operation. The task struct
// stays in the slot after release and is reused by the next owner, so the
// fast path never allocates.

const (
	taskSlots  = 1024 // power of two
	taskProbes = 8    // slots tried before falling back to the overflow map
)

type heldLock struct {
	m        *Map
	class    *class
	chainKey uint64 // hash of the chain up to and including this lock
	mode     Mode
	try      bool
	sub      uint8
	refs     int32 // >1 when nest-lock acquisitions of one class were merged
	nest     *Map  // the outer lock of a nest-lock acquisition
	since    int64 // when it was taken, if statistics are on
}

type task struct {
	goid  int64
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
	// hi is the deepest the held list got since the slot was claimed.
	hi   int
	slot *taskSlot // nil for a task in the overflow map
}

type remoteRelease struct {
	m    *Map
	next *remoteRelease
}

type taskSlot struct {
	owner atomic.Int64
	t     atomic.Pointer[task]
	_     [48]byte // keep owners on separate cache lines
}

type taskTable struct {
	slots      [taskSlots]taskSlot
	noverflow  atomic.Int32 // len(overflow), read without the lock
	overflowMu sync.Mutex
	overflow   map[int64]*task
}

func slotHash(id int64) uint64 {
	return (uint64(id) * 0x9E3779B97F4A7C15) >> (64 - 10)
}

// find returns the calling goroutine's task, or nil if it holds nothing.
func (tt *taskTable) find(id int64) *task {
	h := slotHash(id)
	for i := uint64(0); i < taskProbes; i++ {
		s := &tt.slots[(h+i)&(taskSlots-1)]
		if s.owner.Load() == id {
			return s.t.Load()
		}
	}
	return tt.findOverflow(id)
}

func (tt *taskTable) findOverflow(id int64) *task {
	if tt.noverflow.Load() == 0 {
		return nil
	}
	tt.overflowMu.Lock()
	t := tt.overflow[id]
	tt.overflowMu.Unlock()
	return t
}

// claim returns the calling goroutine's task, creating it if needed. One
// pass over the probe window finds the goroutine's slot or the first free
// one.
func (tt *taskTable) claim(id int64, maxDepth int) *task {
	h := slotHash(id)
	free := -1
	for i := uint64(0); i < taskProbes; i++ {
		j := int((h + i) & (taskSlots - 1))
		switch tt.slots[j].owner.Load() {
		case id:
			return tt.slots[j].t.Load()
		case 0:
			if free < 0 {
				free = j
			}
		}
	}
	if t := tt.findOverflow(id); t != nil {
		return t
	}
	// The goroutine holds nothing. Another goroutine may take a free slot
	// first, so try each free slot in turn.
	for i := uint64(0); i < taskProbes && free >= 0; i++ {
		s := &tt.slots[(h+i)&(taskSlots-1)]
		if s.owner.Load() == 0 && s.owner.CompareAndSwap(0, id) {
			t := s.t.Load()
			if t == nil || len(t.held) != maxDepth {
				t = &task{held: make([]heldLock, maxDepth)}
				s.t.Store(t)
			}
			t.goid = id
			t.slot = s
			return t
		}
	}
	tt.overflowMu.Lock()
	defer tt.overflowMu.Unlock()
	if tt.overflow == nil {
		tt.overflow = make(map[int64]*task)
	}
	t := &task{goid: id, held: make([]heldLock, maxDepth)}
	tt.overflow[id] = t
	tt.noverflow.Store(int32(len(tt.overflow)))
	return t
}

// drop gives the slot back once the task holds nothing.
func (tt *taskTable) drop(t *task) {
	// Released entries were cleared as they were popped, so nothing here
	// keeps a lock reachable.
	t.extra = t.extra[:0]
	if t.slot != nil {
		t.slot.owner.Store(0)
		return
	}
	tt.overflowMu.Lock()
	delete(tt.overflow, t.goid)
	tt.noverflow.Store(int32(len(tt.overflow)))
	tt.overflowMu.Unlock()
}

// each calls f for every task that holds locks. The held lists are read
// without synchronisation (see snapshotTask), so this is for diagnostics:
// held-lock dumps, foreign unlocks, statistics.
func (tt *taskTable) each(f func(*task)) {
	for i := range tt.slots {
		s := &tt.slots[i]
		if s.owner.Load() != 0 {
			if t := s.t.Load(); t != nil {
				f(t)
			}
		}
	}
	tt.overflowMu.Lock()
	ts := make([]*task, 0, len(tt.overflow))
	for _, t := range tt.overflow {
		ts = append(ts, t)
	}
	tt.overflowMu.Unlock()
	for _, t := range ts {
		f(t)
	}
}

// allTasks calls f for every slot's task, owned or not (for statistics).
func (tt *taskTable) allTasks(f func(*task)) {
	for i := range tt.slots {
		if t := tt.slots[i].t.Load(); t != nil {
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
