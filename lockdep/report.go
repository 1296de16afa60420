package lockdep

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is the kind of problem a report describes.
type Kind int

const (
	Circular        Kind = iota + 1 // a new dependency closes a deadlock cycle
	Recursive                       // a class taken again while held, without annotation
	BadUnlock                       // release of a lock the goroutine does not hold
	HeldAtExit                      // a goroutine ended while holding locks
	InvalidSubclass                 // a nesting subclass outside 0..MaxSubclass
	DepthExceeded                   // more than MaxDepth locks held at once
	NestLockNotHeld                 // a nest-lock acquisition without its outer lock
	AssertFailed                    // a lock assertion did not hold
	OrderViolation                  // two instances of an ordered class nested out of order
	LimitExceeded                   // a validator limit overflowed; validation stopped
	WaitCircular                    // a cycle through a wait on an event (event.go)
	Hung                            // a wait lasted longer than Options.HangTimeout (hang.go)
)

// kinds is the one table of report kinds: the name in uploads and
// de-duplication keys, and the title of the kernel-style text.
var kinds = [...]struct{ name, title string }{
	Circular:        {"circular", "possible circular locking dependency detected"},
	Recursive:       {"recursive", "possible recursive locking detected"},
	BadUnlock:       {"bad-unlock", "bad unlock balance detected"},
	HeldAtExit:      {"held-at-exit", "lock held when goroutine exited"},
	InvalidSubclass: {"invalid-subclass", "invalid lock subclass"},
	DepthExceeded:   {"depth-exceeded", "held-lock depth exceeded"},
	NestLockNotHeld: {"nest-lock-not-held", "nest lock not held"},
	AssertFailed:    {"assert-failed", "lock assertion failed"},
	OrderViolation:  {"order-violation", "lock instances nested against their order"},
	LimitExceeded:   {"limit-exceeded", "validator limit reached"},
	WaitCircular:    {"wait-circular", "possible deadlock through a wait"},
	Hung:            {"hung", "goroutine blocked for too long"},
}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kinds) {
		return kinds[k].name
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// IsCycle reports whether a report of kind k names the classes of a cycle,
// which are the same problem in any order (de-duplication, baselines).
func (k Kind) IsCycle() bool { return k == Circular || k == WaitCircular }

// title is the headline of the kernel-style text of a report of kind k.
func (k Kind) title() string {
	if k > 0 && int(k) < len(kinds) {
		return kinds[k].title
	}
	return k.String()
}

// ParseKind is the inverse of Kind.String.
func ParseKind(s string) (Kind, bool) {
	for k := range kinds {
		if k > 0 && kinds[k].name == s {
			return Kind(k), true
		}
	}
	return 0, false
}

// LockRef names one lock in a report.
type LockRef struct {
	Class    string `json:"class"`    // class name, with "/N" for subclass N
	Instance string `json:"instance"` // name@address of the instance
	Mode     Mode   `json:"mode"`
	Try      bool   `json:"try,omitempty"`
	Subclass int    `json:"subclass"`
	Waiting  bool   `json:"waiting,omitempty"` // in a dump: waited for, not yet held
}

func (l LockRef) String() string {
	s := fmt.Sprintf("(%s){%s}", l.Class, l.Mode)
	if l.Try {
		s += " trylock"
	}
	if l.Instance != "" {
		s += ", instance " + l.Instance
	}
	if l.Waiting {
		s += " (waiting for it)"
	}
	return s
}

// Link is one dependency in a reported chain: To was acquired while From
// was held, first at Stack.
type Link struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	Types string  `json:"types"` // e.g. "-(EN)->"
	Stack []Frame `json:"stack"`
	// Sources name the processes that contributed the link, for graphs
	// merged from several processes; empty in-process.
	Sources []string `json:"sources,omitempty"`
}

// Report describes one problem.
type Report struct {
	Kind      Kind
	Goroutine int64     // the goroutine that made the offending call
	Lock      *LockRef  // the lock being acquired, released or asserted
	Held      *LockRef  // the held lock it conflicts with
	Chain     []Link    // Circular: the existing chain from Lock back to Held
	New       *Link     // Circular: the dependency that would close the cycle
	HeldLocks []LockRef // the goroutine's held locks, outermost first
	Stack     []Frame   // where the offending call was made
	Holder    int64     // BadUnlock: the goroutine that held the lock, if any
	Locked    bool      // BadUnlock: whether the lock was locked at all
	Limit     string    // LimitExceeded: which limit
	Message   string    // a one-line explanation
	Classes   []string  // the classes involved, for de-duplication
}

// dedupKey identifies a problem: its kind and the classes involved. A cycle
// is the same problem whichever of its edges closed it.
func (r *Report) dedupKey() string {
	cs := append([]string(nil), r.Classes...)
	if r.Kind.IsCycle() {
		sort.Strings(cs)
	}
	if r.Kind == Hung {
		// One report per waiting goroutine and thing waited for: a hang,
		// not a class of problem.
		return fmt.Sprintf("%s|%d|%s", r.Kind, r.Goroutine, strings.Join(cs, "|"))
	}
	return r.Kind.String() + "|" + strings.Join(cs, "|")
}

func refOf(h *heldLock) LockRef {
	return LockRef{Class: h.class.name, Instance: h.m.String(), Mode: h.mode, Try: h.try, Subclass: int(h.sub), Waiting: h.waiting}
}

func mapRef(m *Map, sub int, mode Mode) LockRef {
	name := m.name
	if sub > 0 {
		name = fmt.Sprintf("%s/%d", name, sub)
	}
	for i := range m.cache {
		if c := m.cache[i].Load(); c != nil && int(c.sub) == sub {
			name = c.name
		}
	}
	return LockRef{Class: name, Instance: m.String(), Mode: mode, Subclass: sub}
}

func heldRefs(t *task) []LockRef {
	if t == nil {
		return nil
	}
	return heldRefsN(t, t.depth)
}

// heldRefsN lists the first n held locks: the ones held before the lock at
// index n was taken.
func heldRefsN(t *task, n int) []LockRef {
	refs := make([]LockRef, 0, n)
	for i := 0; i < n; i++ {
		refs = append(refs, refOf(&t.held[i]))
	}
	return refs
}

func (v *Validator) base(kind Kind, t *task, skip int) *Report {
	r := &Report{Kind: kind, HeldLocks: heldRefs(t)}
	if t != nil {
		r.Goroutine = t.goid
	} else {
		r.Goroutine = curGoid()
	}
	r.Stack = stackFrames(captureStack(v.opts.StackDepth, skip), v.opts.StackDepth)
	return r
}

func (v *Validator) newReport(kind Kind, t *task, m *Map, sub int, mode Mode) *Report {
	r := v.base(kind, t, 3)
	ref := mapRef(m, sub, mode)
	r.Lock = &ref
	r.Classes = []string{ref.Class}
	switch kind {
	case InvalidSubclass:
		r.Message = fmt.Sprintf("subclass %d is outside 0..%d; the lock works but is not validated", sub, MaxSubclass)
		r.Classes = []string{m.name}
	}
	return r
}

func (v *Validator) nestNotHeldReport(t *task, m *Map, sub int, mode Mode, nest *Map) *Report {
	r := v.newReport(NestLockNotHeld, t, m, sub, mode)
	ref := mapRef(nest, 0, Exclusive)
	r.Held = &ref
	r.Classes = append(r.Classes, ref.Class)
	r.Message = "the outer lock named by the nest-lock annotation is not held"
	return r
}

func (v *Validator) recursiveReport(t *task, i, idx int, stack []uintptr) *Report {
	r := &Report{Kind: Recursive, Goroutine: t.goid, HeldLocks: heldRefsN(t, idx)}
	r.Stack = stackFrames(stack, v.opts.StackDepth)
	held, next := refOf(&t.held[i]), refOf(&t.held[idx])
	r.Lock, r.Held = &next, &held
	r.Classes = []string{next.Class}
	r.Message = "a lock of this class is already held; annotate the nesting with a subclass, a nest lock or an instance order if it is intended"
	return r
}

// orderReport says that held[idx] was taken under held[i] against the
// instance order of their key, whose comparison function returned cmp,
// in the words of the kernel's check of lock_set_cmp_fn.
func (v *Validator) orderReport(t *task, i, idx, cmp int) *Report {
	r := v.base(OrderViolation, t, 4)
	r.HeldLocks = heldRefsN(t, idx)
	held, next := refOf(&t.held[i]), refOf(&t.held[idx])
	r.Lock, r.Held = &next, &held
	r.Classes = []string{held.Class, next.Class}
	r.Message = fmt.Sprintf("instance %s is taken while holding %s, against the order of key %q, "+
		"and the lock comparison function returns %d; "+
		"subclass annotations alone would not catch this, since both sides may annotate the pair the same way",
		t.held[idx].m, t.held[i].m, t.held[idx].class.ki.name, cmp)
	return r
}

func (v *Validator) circularReport(t *task, i, idx int, path []*edge, stack []uintptr) *Report {
	r := &Report{Kind: waitKind(t.held[idx].class, path), Goroutine: t.goid, HeldLocks: heldRefsN(t, idx)}
	r.Stack = stackFrames(stack, v.opts.StackDepth)
	held, next := refOf(&t.held[i]), refOf(&t.held[idx])
	r.Lock, r.Held = &next, &held
	r.Classes = []string{next.Class}
	for _, e := range path {
		r.Chain = append(r.Chain, linkOf(e, v.opts.StackDepth))
		r.Classes = append(r.Classes, e.to.name)
	}
	r.New = &Link{From: held.Class, To: next.Class, Types: depType(held.Mode, next.Mode).String(), Stack: r.Stack}
	return r
}

func (v *Validator) badUnlockReport(m *Map, mode Mode, locked bool, holder int64) *Report {
	r := v.base(BadUnlock, v.tasks.find(curGoid()), 4)
	ref := mapRef(m, 0, mode)
	r.Lock = &ref
	r.Classes = []string{ref.Class}
	r.Locked, r.Holder = locked, holder
	switch {
	case !locked:
		r.Message = fmt.Sprintf("the lock is not %s-locked at all (double unlock?); it was left untouched", mode)
	case holder != 0:
		r.Message = fmt.Sprintf("the lock is held by goroutine %d; it was unlocked as Go permits and goroutine %d "+
			"no longer holds it (reported because the validator runs with the kernel's rules)", holder, holder)
	default:
		r.Message = "the lock is locked, but by no single goroutine the validator can name; it was unlocked as Go permits " +
			"(reported because the validator runs with the kernel's rules)"
	}
	return r
}

// depthReport says that a goroutine holds MaxDepth locks and names the
// class that fills most of its table.
func (v *Validator) depthReport(t *task, m *Map, sub int, mode Mode) *Report {
	r := v.newReport(DepthExceeded, t, m, sub, mode)
	counts := make(map[*class]int)
	var top *class
	for i := 0; i < t.depth; i++ {
		c := t.held[i].class
		counts[c]++
		if top == nil || counts[c] > counts[top] {
			top = c
		}
	}
	r.HeldLocks = nil // thousands of lines say less than the count
	r.Message = fmt.Sprintf("goroutine %d holds %d locks, the limit; this one and any further ones are not validated", t.goid, t.depth)
	if top != nil {
		r.Message += fmt.Sprintf(" (%d of them are of class %s)", counts[top], top.name)
	}
	r.Message += "; raise Options.MaxDepth or LOCKDEP_MAX_DEPTH, or take many locks of one class under an outer lock " +
		"(LockNestLock) so that they count once"
	return r
}

// linkOf describes an edge for a report, with at most depth frames.
func linkOf(e *edge, depth int) Link {
	l := Link{From: e.from.name, To: e.to.name, Types: e.types.String(), Sources: append([]string(nil), e.sources...)}
	if e.frames != nil {
		l.Stack = e.frames
	} else {
		l.Stack = stackFrames(e.stack, depth)
	}
	return l
}
