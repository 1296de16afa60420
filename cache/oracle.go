package cache

import (
	"fmt"
	"sync"
)

// Oracle knows what every file page should contain and checks what readers
// get. Each file page has a short history of states (a Stamp, or zeroes for
// a hole), each valid over an interval of the oracle's logical clock. An
// operation that changes a page registers the new state when it starts
// (Begin) and commits it when it is done (Commit); until then both the old
// and the new state are acceptable, because a racing reader may see either.
// A read that started at clock t0 and ended at t1 is correct if what it got
// was a valid state at some point in [t0, t1]. A page keeps every state an
// operation in flight may still read, up to a hard cap (see history.go).
//
// The oracle counts four kinds of finding and keeps a description of the
// first few of each: stale reads (data that was not the file's at that
// offset while the read ran: a page instantiated from freed or reused
// blocks, or kept past a punch), lost writes (a write that landed in a
// block the file no longer owns, or a dirty page written back over a range
// that was punched since), blocks freed while direct I/O still used them,
// and failed page-cache invalidations after a direct write, which the
// kernel warns about (dio_warn_stale_pagecache: the cache may now hold
// data the file does not).
type Oracle struct {
	mu      sync.Mutex
	clock   uint64
	gen     uint64
	pages   map[Owner]*history
	counts  [nKinds]int
	finding [nKinds][]string

	live           []uint64 // starts of the operations in flight, ascending
	forgotStates   int      // states dropped at the cap while readable
	uncheckedReads int      // reads that may have seen one of them
}

// Finding kinds.
const (
	StaleRead = iota
	LostWrite
	FreedInUse
	StalePagecache
	nKinds
)

const maxFindings = 8

// Counts are the oracle's totals.
type Counts struct {
	StaleReads int `json:"stale_reads"`
	LostWrites int `json:"lost_writes"`
	FreedInUse int `json:"freed_in_use"`
	// StalePagecache counts failed invalidations after direct writes
	// (the kernel's dio_warn_stale_pagecache warning).
	StalePagecache int `json:"stale_pagecache"`
}

// Zero reports whether nothing was found.
func (c Counts) Zero() bool { return c == Counts{} }

func newOracle() *Oracle { return &Oracle{pages: make(map[Owner]*history)} }

func (o *Oracle) histLocked(f, idx uint64) *history {
	k := Owner{f, idx}
	h := o.pages[k]
	if h == nil {
		h = &history{es: []*entry{{from: 0, to: inf, committed: true}}}
		o.pages[k] = h
	}
	return h
}

// NewStamp returns fresh data for file f page idx.
func (o *Oracle) NewStamp(f, idx uint64) Stamp {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.gen++
	return Stamp{File: f, Off: idx, Gen: o.gen}
}

// Now returns the clock, to be passed to CheckRead as the read's start.
func (o *Oracle) Now() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.clock++
	return o.clock
}

// Change is a pending change of one file page.
type Change struct {
	o *Oracle
	h *history
	e *entry
}

// Begin registers s as the coming state of file f page idx.
func (o *Oracle) Begin(f, idx uint64, s Stamp) *Change {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.clock++
	h := o.histLocked(f, idx)
	e := &entry{s: s, from: o.clock, to: inf}
	h.es = append(h.es, e)
	o.pruneLocked(h)
	return &Change{o: o, h: h, e: e}
}

// Commit makes the change the page's state; every earlier state ends.
func (c *Change) Commit() {
	if c == nil {
		return
	}
	o := c.o
	o.mu.Lock()
	defer o.mu.Unlock()
	o.clock++
	for _, e := range c.h.es {
		if e != c.e && e.committed && e.to == inf {
			e.to = o.clock
		}
	}
	c.e.committed = true
}

// Abort drops a change that did not happen.
func (c *Change) Abort() {
	if c == nil {
		return
	}
	c.o.mu.Lock()
	c.o.clock++
	if !c.e.committed {
		c.e.to = c.o.clock
	}
	c.o.mu.Unlock()
}

// Set makes s the content of file f page idx at once, running do (which
// must take no lock but leaves, and must not call the oracle) to store the
// data while the oracle is locked: racing stores to one page then record
// their data in the order they stored it.
func (o *Oracle) Set(f, idx uint64, s Stamp, do func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.clock++
	h := o.histLocked(f, idx)
	if do != nil {
		do()
	}
	for _, e := range h.es {
		if e.committed && e.to == inf {
			e.to = o.clock
		}
	}
	h.es = append(h.es, &entry{s: s, from: o.clock, to: inf, committed: true})
	o.pruneLocked(h)
}

// Changes is a set of pending changes committed or aborted together.
type Changes []*Change

// Commit commits them all.
func (cs Changes) Commit() {
	for _, c := range cs {
		c.Commit()
	}
}

// Current returns the committed state of file f page idx.
func (o *Oracle) Current(f, idx uint64) Stamp {
	o.mu.Lock()
	defer o.mu.Unlock()
	h := o.histLocked(f, idx)
	for i := len(h.es) - 1; i >= 0; i-- {
		if e := h.es[i]; e.committed && e.to == inf {
			return e.s
		}
	}
	return Stamp{}
}

// CheckRead checks that got was file f page idx's content at some time
// since the clock value t0; it counts a stale read and returns false if
// not. what describes the reader. If the page's history hit its cap and
// dropped states the read may have seen, a read that matches no state
// left is counted as unchecked instead (see Unchecked).
func (o *Oracle) CheckRead(f, idx uint64, got Stamp, t0 uint64, what string) bool {
	o.mu.Lock()
	o.clock++
	now := o.clock
	h := o.histLocked(f, idx)
	ok := false
	var cur Stamp
	for _, e := range h.es {
		if e.s == got && e.from <= now && e.to >= t0 {
			ok = true
		}
		if e.committed && e.to == inf {
			cur = e.s
		}
	}
	if !ok && h.forgot != 0 && t0 <= h.forgot {
		o.uncheckedReads++
		ok = true
	}
	o.mu.Unlock()
	if !ok {
		why := ""
		if got.File != 0 && got.File != f {
			why = " (another file's data: a freed block was reused)"
		}
		o.add(StaleRead, fmt.Sprintf("%s of ino %d page %d got %s, but the file holds %s%s", what, f, idx, got, cur, why))
	}
	return ok
}

// checkWriteback checks that the data a dirty page is written back with
// is (or is about to be) the file page's content; if the page was punched
// or truncated since it was dirtied, the writeback puts back data the file
// no longer has, and a lost write is counted.
func (o *Oracle) checkWriteback(f, idx uint64, s Stamp, what string) {
	o.mu.Lock()
	h := o.histLocked(f, idx)
	ok := false
	var cur Stamp
	for _, e := range h.es {
		if e.s == s && e.to == inf {
			ok = true
		}
		if e.committed && e.to == inf {
			cur = e.s
		}
	}
	o.mu.Unlock()
	if !ok {
		o.add(LostWrite, fmt.Sprintf("%s wrote %s back to ino %d page %d, which now holds %s", what, s, f, idx, cur))
	}
}

func (o *Oracle) lostWrite(desc string)  { o.add(LostWrite, desc) }
func (o *Oracle) freedInUse(desc string) { o.add(FreedInUse, desc) }

// StalePagecache counts a page-cache invalidation around direct I/O that
// failed where the kernel warns (dio_warn_stale_pagecache), or where a
// file system that retries gave up.
func (o *Oracle) StalePagecache(desc string) { o.add(StalePagecache, desc) }

func (o *Oracle) add(kind int, desc string) {
	o.mu.Lock()
	o.counts[kind]++
	if len(o.finding[kind]) < maxFindings {
		o.finding[kind] = append(o.finding[kind], desc)
	}
	o.mu.Unlock()
}

// Counts returns the totals so far.
func (o *Oracle) Counts() Counts {
	o.mu.Lock()
	defer o.mu.Unlock()
	return Counts{StaleReads: o.counts[StaleRead], LostWrites: o.counts[LostWrite], FreedInUse: o.counts[FreedInUse],
		StalePagecache: o.counts[StalePagecache]}
}

// Findings returns the descriptions kept, stale reads first, and a line
// on unchecked reads if there were any.
func (o *Oracle) Findings() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	names := [nKinds]string{"stale read", "lost write", "freed in use", "stale pagecache"}
	for k := range o.finding {
		for _, d := range o.finding[k] {
			out = append(out, names[k]+": "+d)
		}
		if extra := o.counts[k] - len(o.finding[k]); extra > 0 {
			out = append(out, fmt.Sprintf("%s: ... and %d more", names[k], extra))
		}
	}
	if o.uncheckedReads > 0 {
		out = append(out, fmt.Sprintf("unchecked: %d read(s) may have seen one of %d state(s) dropped at the history cap of %d states per page while an operation was in flight",
			o.uncheckedReads, o.forgotStates, maxHistory))
	}
	return out
}
