package cache

import (
	"math"
	"slices"
)

// A page's history is the states it held, oldest first, each valid over
// an interval of the oracle's clock. A read that started at t0 may
// legally return any state still valid at some time since t0, so a state
// may go only once no read in flight can have started before it ended.
//
// Readers take their start from Oracle.Now and never say when they are
// done, so the oracle tracks operations instead: World.Run registers the
// clock at which each operation starts (opStart) until it returns
// (opEnd). Every read runs inside an operation and starts after it, so a
// state that ended before the oldest operation in flight started can be
// read by nobody, and only such states are pruned.
//
// Memory stays bounded by the constants below, not by how long an
// operation runs: past maxHistory states a page drops its oldest ended
// states even if an operation in flight could still read them. That is
// counted (Oracle.Unchecked) and remembered per page (history.forgot): a
// read that started before a dropped state ended, and whose data the
// history no longer holds, is counted as unchecked, never as stale.

type history struct {
	es []*entry
	// forgot is the latest end of a state dropped at the cap while an
	// operation in flight could still read it (0: none).
	forgot uint64
}

type entry struct {
	s         Stamp
	from, to  uint64 // valid over [from, to]; to == inf while current or pending
	committed bool
}

const inf = math.MaxUint64

const (
	// keepHistory ended states are kept whatever is in flight, so that a
	// reader that calls the oracle outside World.Run (a unit test, a
	// tool) still has the window it always had.
	keepHistory = 48
	// maxHistory is the hard cap on a page's states (about 60 KB; every
	// change and check of the page walks them). Reaching it takes one
	// operation staying in flight while its page is rewritten a thousand
	// times; the stress runs keep at most about 250 states of a page. A
	// hung or gated operation could, and then the fallback above
	// applies.
	maxHistory = 1024
)

// prune drops the ended states nobody can read any more: those that ended
// before live, the start of the oldest operation in flight (inf if none),
// keeping the newest keepHistory states. Past maxHistory it drops the
// oldest ended states regardless and returns how many of those it
// dropped. Keeping a state longer than needed is always safe: CheckRead
// matches a state only if it was valid while the read ran.
func (h *history) prune(live uint64) (forced int) {
	if len(h.es) <= keepHistory {
		return 0
	}
	h.dropEnded(len(h.es)-keepHistory, live)
	if len(h.es) > maxHistory {
		// Everything that ended before live is gone already: each of
		// these may still be read.
		var last uint64
		forced, last = h.dropEnded(len(h.es)-maxHistory, inf)
		h.forgot = max(h.forgot, last)
	}
	return forced
}

// dropEnded drops up to n of the oldest states that ended before the
// clock value before; it returns how many it dropped and the latest end
// among them.
func (h *history) dropEnded(n int, before uint64) (dropped int, last uint64) {
	out := h.es[:0]
	for _, e := range h.es {
		if dropped < n && e.to != inf && e.to < before {
			dropped++
			last = max(last, e.to)
			continue
		}
		out = append(out, e)
	}
	clear(h.es[len(out):])
	h.es = out
	return dropped, last
}

// opStart registers an operation in flight and returns its start, to be
// passed to opEnd when it returns. Reads it makes start later.
func (o *Oracle) opStart() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.clock++
	o.live = append(o.live, o.clock) // the clock only grows: live stays sorted
	return o.clock
}

// opEnd ends the operation that started at start.
func (o *Oracle) opEnd(start uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if i, ok := slices.BinarySearch(o.live, start); ok {
		o.live = slices.Delete(o.live, i, i+1)
	}
}

// oldestLocked returns the start of the oldest operation in flight, or
// inf if there is none.
func (o *Oracle) oldestLocked() uint64 {
	if len(o.live) == 0 {
		return inf
	}
	return o.live[0]
}

// pruneLocked prunes h and counts the states the cap forced out.
func (o *Oracle) pruneLocked(h *history) {
	o.forgotStates += h.prune(o.oldestLocked())
}

// Unchecked returns the cost of the cap: how many states were dropped
// while an operation in flight could still read them, and how many reads
// could not be checked because their data might have been one of those.
// Both are zero unless an operation stayed in flight across about
// maxHistory writes of one page.
func (o *Oracle) Unchecked() (states, reads int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.forgotStates, o.uncheckedReads
}
