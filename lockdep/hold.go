package lockdep

import (
	"sync/atomic"
	"time"
)

// Provisional holds. Under Go's rules a goroutine may lock a lock and let
// another goroutine unlock it: a transaction begun in one goroutine and
// committed in another. Until a hold ends, the validator cannot tell a
// hold its goroutine will release from one it has handed over; but the
// dependencies and reports a handed-over hold gave rise to are false (the
// goroutine that took it did not in fact hold it while it went on).
//
// So what a hold teaches is provisional until the hold ends:
//
//   - a dependency first recorded while the hold was the held side is kept
//     in the graph (later acquisitions are checked against it), with the
//     hold's token;
//   - a report whose held side is such a hold, or whose chain has such a
//     dependency, waits, filed under every token it depends on.
//
// When the goroutine releases the hold itself, its token is confirmed: its
// dependencies are final and the reports waiting only on it are made, with
// the stacks of the moment they were found. When another goroutine
// releases it (releaseForeign), the token is retracted: its dependencies
// that no other hold confirmed leave the graph, the cached chains that
// were validated while it was held leave the cache (so that they are
// validated again, by real holds), and the reports that waited on it are
// dropped. Holds still open when the program asks (FlushPending, which
// lockdeptest.Run calls at the end) are taken as real. Under the kernel's
// rules nothing is provisional: a release by another goroutine is itself
// a report.
//
// Tokens exist only for holds that recorded a new dependency or a report,
// so the common path pays one nil check on release.

type holdToken struct {
	m       *Map             // the lock held
	goid    int64            // the goroutine that took it
	done    bool             // confirmed or retracted
	gone    atomic.Bool      // retracted: another goroutine released the lock; read by the owner without the graph lock
	edges   []*edge          // dependencies first recorded with this hold held
	chains  []uint64         // chains cached while it was held
	pairs   []pairRef        // directions of instance pairs first learned with it held
	reports []*pendingReport // reports waiting on it
	many    bool             // chains overflowed: forget them all on retraction
}

// maxTokenChains bounds the chains a token remembers.
const maxTokenChains = 64

type pendingReport struct {
	r       *Report
	waiting int  // unresolved tokens it depends on
	dead    bool // a token it depended on was retracted
}

// maxPending bounds the reports waiting on holds; past it a report is made
// at once.
const maxPending = 1000

// gone reports whether another goroutine has released this hold already,
// while its goroutine has not applied the release yet: it teaches nothing.
func (h *heldLock) gone() bool { return h.token != nil && h.token.gone.Load() }

// provisional reports whether what holds teach must wait for them to end.
func (v *Validator) provisional() bool { return v.currentRules() == GoRules }

// tokenLocked returns the token of t.held[i], making it if needed. Only
// the owner of t calls it, with the graph lock held.
func (v *Validator) tokenLocked(t *task, i int) *holdToken {
	h := &t.held[i]
	if h.token == nil {
		h.token = &holdToken{m: h.m, goid: t.goid}
		if v.tokens == nil {
			v.tokens = make(map[*Map][]*holdToken)
		}
		v.tokens[h.m] = append(v.tokens[h.m], h.token)
	}
	return h.token
}

// retractForeignLocked retracts the oldest open token of m held by the
// goroutine goid: another goroutine released m for it (the oldest, because
// a hold handed over is usually one taken before the ones kept).
func (v *Validator) retractForeignLocked(m *Map, goid int64) []*Report {
	for _, tk := range v.tokens[m] {
		if tk.goid == goid && !tk.done {
			return v.endHoldLocked(tk, false)
		}
	}
	return nil
}

// fileOnLocked files r, or, if it depends on provisional holds (the held
// entries at idx of t, and the unconfirmed dependencies in path), queues it
// until they end. It returns the report to deliver now, if any.
func (v *Validator) fileOnLocked(r *Report, t *task, idx []int, path []*edge, extra ...*holdToken) *Report {
	if !v.provisional() || v.npending >= maxPending {
		return v.fileLocked(r)
	}
	var toks []*holdToken
	for _, i := range idx {
		if tk := v.tokenLocked(t, i); !tk.done {
			toks = append(toks, tk)
		} else if tk.gone.Load() {
			return nil // the hold was another goroutine's after all
		}
	}
	for _, e := range path {
		if !e.confirmed {
			toks = append(toks, e.tokens...)
		}
	}
	for _, tk := range extra {
		if tk.gone.Load() {
			return nil
		}
		if !tk.done {
			toks = append(toks, tk)
		}
	}
	if len(toks) == 0 {
		return v.fileLocked(r)
	}
	key := r.dedupKey()
	for _, pr := range toks[0].reports {
		if !pr.dead && pr.r.dedupKey() == key {
			return nil // the same problem already waits on this hold
		}
	}
	pr := &pendingReport{r: r}
	seen := make(map[*holdToken]bool)
	for _, tk := range toks {
		if !seen[tk] {
			seen[tk] = true
			tk.reports = append(tk.reports, pr)
			pr.waiting++
		}
	}
	v.pending = append(v.pending, pr)
	v.npending++
	return nil
}

// noteEdgeLocked records that e was first recorded while t.held[i] was
// held.
func (v *Validator) noteEdgeLocked(e *edge, t *task, i int) {
	if !v.provisional() {
		e.confirmed = true
		return
	}
	tk := v.tokenLocked(t, i)
	tk.edges = append(tk.edges, e)
	e.tokens = append(e.tokens, tk)
}

// noteChainLocked records that chain key was cached while the held
// entries below idx that have tokens were held.
func (v *Validator) noteChainLocked(t *task, idx int, key uint64) {
	for j := 0; j < idx; j++ {
		tk := t.held[j].token
		if tk == nil {
			continue
		}
		if len(tk.chains) < maxTokenChains {
			tk.chains = append(tk.chains, key)
		} else {
			tk.many = true
		}
	}
}

// endHold resolves the token of a hold that ended: confirmed when its
// goroutine released it, retracted when another goroutine did. It is
// called by the owner of the task, without the graph lock.
func (v *Validator) endHold(tk *holdToken, confirmed bool) {
	v.mu.Lock()
	out := v.endHoldLocked(tk, confirmed)
	v.mu.Unlock()
	v.deliver(out)
}

func (v *Validator) endHoldLocked(tk *holdToken, confirmed bool) []*Report {
	if tk.done {
		return nil // retracted when another goroutine released it
	}
	tk.done = true
	tk.gone.Store(!confirmed)
	ts := removeToken(v.tokens[tk.m], tk)
	if len(ts) == 0 {
		delete(v.tokens, tk.m)
	} else {
		v.tokens[tk.m] = ts
	}
	var out []*Report
	for _, e := range tk.edges {
		e.tokens = removeToken(e.tokens, tk)
		if confirmed {
			e.confirmed = true
		} else if len(e.tokens) == 0 && !e.confirmed && e.from.gen.Load() == v.gen.Load() {
			v.g.dropEdge(e)
		}
	}
	for _, ref := range tk.pairs {
		v.pairs.endPair(ref, tk, confirmed)
	}
	if !confirmed && (len(tk.chains) > 0 || tk.many) {
		v.forgetChainsLocked(tk.chains, tk.many)
	}
	for _, pr := range tk.reports {
		if pr.dead {
			continue
		}
		if !confirmed {
			pr.dead = true
			continue
		}
		if pr.waiting--; pr.waiting == 0 {
			if r := v.fileLocked(pr.r); r != nil {
				out = append(out, r)
			}
			pr.dead = true // made
		}
	}
	v.prunePendingLocked()
	return out
}

func removeToken(ts []*holdToken, tk *holdToken) []*holdToken {
	for i, x := range ts {
		if x == tk {
			return append(ts[:i], ts[i+1:]...)
		}
	}
	return ts
}

// prunePendingLocked drops resolved reports from the pending list.
func (v *Validator) prunePendingLocked() {
	live := v.pending[:0]
	for _, pr := range v.pending {
		if !pr.dead {
			live = append(live, pr)
		}
	}
	for i := len(live); i < len(v.pending); i++ {
		v.pending[i] = nil
	}
	v.pending = live
	v.npending = len(live)
}

// forgetChainsLocked removes chains from the cache, or every chain that
// any retracted hold may have validated when the token lost count.
func (v *Validator) forgetChainsLocked(keys []uint64, all bool) {
	ct := v.chains.Load()
	if all {
		clear(v.chainInfo)
		v.chains.Store(newChainTable(v.opts.MaxChains))
		return
	}
	for _, k := range keys {
		if ct.removeLocked(k) {
			delete(v.chainInfo, k)
		}
	}
	if ct.tombstones > v.opts.MaxChains/2 {
		fresh := newChainTable(v.opts.MaxChains)
		for key := range v.chainInfo {
			fresh.insertLocked(key)
		}
		v.chains.Store(fresh)
	}
}

// FlushPending makes the reports that still wait on holds that have not
// ended, as if those holds were their goroutines' own: at the end of a
// test binary (lockdeptest.Run calls it) or of a program.
func (v *Validator) FlushPending() {
	if !Enabled {
		return
	}
	v.mu.Lock()
	v.makePending(v.pending)
}

// makePending makes the reports of prs that still wait, whatever they
// wait on. The caller holds the graph lock; makePending releases it.
func (v *Validator) makePending(prs []*pendingReport) {
	var out []*Report
	for _, pr := range prs {
		if !pr.dead {
			pr.dead = true
			if r := v.fileLocked(pr.r); r != nil {
				out = append(out, r)
			}
		}
	}
	v.prunePendingLocked()
	v.mu.Unlock()
	v.deliver(out)
}

// FlushPending flushes the default validator; see Validator.FlushPending.
func FlushPending() { std.FlushPending() }

// tokenFor is tokenLocked for a caller without the graph lock.
func (v *Validator) tokenFor(t *task, i int) *holdToken {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.tokenLocked(t, i)
}

// reportOnWith is reportOn for a report that also depends on other holds'
// tokens.
func (v *Validator) reportOnWith(t *task, r *Report, i int, extra ...*holdToken) {
	v.mu.Lock()
	r = v.fileOnLocked(r, t, []int{i}, nil, extra...)
	v.mu.Unlock()
	if r != nil {
		v.deliver([]*Report{r})
	}
}

// reportOn files and delivers r, which depends on the hold t.held[i]; the
// caller is t's owner and does not hold the graph lock.
func (v *Validator) reportOn(t *task, r *Report, i int) {
	v.mu.Lock()
	r = v.fileOnLocked(r, t, []int{i}, nil)
	v.mu.Unlock()
	if r != nil {
		v.deliver([]*Report{r})
	}
}

// pendingWait is how long a goroutine may stay blocked on a lock before
// the reports waiting on its holds are made: a goroutine that blocks while
// holding a lock does hold it, and a deadlock must not hang unreported.
const pendingWait = 500 * time.Millisecond

// watchWait arms t's wait timer when reports wait on its holds; the
// owner calls it before blocking on a lock, and granted stops it.
func (v *Validator) watchWait(t *task) {
	has := false
	for i := 0; i < t.depth && !has; i++ {
		has = t.held[i].token != nil
	}
	if !has {
		return
	}
	v.mu.Lock()
	var prs []*pendingReport
	for i := 0; i < t.depth; i++ {
		if tk := t.held[i].token; tk != nil {
			for _, pr := range tk.reports {
				if !pr.dead {
					prs = append(prs, pr)
				}
			}
		}
	}
	v.mu.Unlock()
	if len(prs) == 0 {
		return
	}
	if t.waitTimer != nil {
		t.waitTimer.Stop()
	}
	t.waitTimer = time.AfterFunc(pendingWait, func() {
		v.mu.Lock()
		v.makePending(prs)
	})
}
