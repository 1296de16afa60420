package lockdep

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Hung waits. A goroutine that waits for a lock (announced by Map.wait,
// which package locks calls through internal/plumbing) or an event
// (Event.Wait, ended by Event.EndWait) longer than Options.HangTimeout is
// reported once per wait, as a Hung report whose
// message shows every goroutine's held locks and current waits, like the
// kernel's hung-task warning with debug_show_all_locks. A wait that is
// not a deadlock the graph can see (a lock held forever by a goroutine
// that blocks on I/O, a channel nobody will ever send on) is found this
// way, with the state that explains it.
//
// The waits in progress are kept in a table sharded by goroutine id, one
// entry per waiting goroutine: memory is bounded by the number of
// goroutines waiting at once. A watchdog goroutine, started at the first
// wait and ended as soon as the table is empty, looks at it four times per
// timeout.

type waitRec struct {
	goid     int64
	what     string // the lock or event class waited for
	since    time.Time
	reported bool
}

type hangShard struct {
	mu    sync.Mutex
	waits map[int64]waitRec
	_     [40]byte
}

type hangTable struct {
	shards  [16]hangShard
	n       atomic.Int64 // waits in the table
	running atomic.Bool  // a watchdog runs
	wake    chan struct{}
}

func (v *Validator) hangTimeout() time.Duration { return v.opts.HangTimeout }

// beginWait records that the calling goroutine waits for what.
func (v *Validator) beginWait(goid int64, what string) {
	if v.hangTimeout() <= 0 {
		return
	}
	s := &v.hangs.shards[uint64(goid)%uint64(len(v.hangs.shards))]
	s.mu.Lock()
	if s.waits == nil {
		s.waits = make(map[int64]waitRec)
	}
	if _, ok := s.waits[goid]; !ok {
		v.hangs.n.Add(1)
	}
	s.waits[goid] = waitRec{goid: goid, what: what, since: time.Now()}
	s.mu.Unlock()
	if h := &v.hangs; !h.running.Load() && h.running.CompareAndSwap(false, true) {
		go v.watchdog()
	}
}

// endWait records that the calling goroutine no longer waits.
func (v *Validator) endWait(goid int64) {
	if v.hangTimeout() <= 0 {
		return
	}
	s := &v.hangs.shards[uint64(goid)%uint64(len(v.hangs.shards))]
	s.mu.Lock()
	_, ok := s.waits[goid]
	delete(s.waits, goid)
	s.mu.Unlock()
	if ok && v.hangs.n.Add(-1) == 0 {
		select {
		case v.hangs.wake <- struct{}{}:
		default:
		}
	}
}

// watchdog reports the waits older than the timeout, once each. It ends as
// soon as no goroutine waits (woken by the last endWait), so that a test
// checking for leaked goroutines does not find it. beginWait and the exit
// below each write one atomic and read the other, so either beginWait
// starts a new watchdog or this one sees the new wait and stays.
func (v *Validator) watchdog() {
	period := v.hangTimeout() / 4
	if period < time.Millisecond {
		period = time.Millisecond
	}
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			v.reportHungWaits(time.Now())
		case <-v.hangs.wake:
		}
		if v.hangs.n.Load() == 0 {
			v.hangs.running.Store(false)
			if v.hangs.n.Load() == 0 || !v.hangs.running.CompareAndSwap(false, true) {
				return
			}
		}
	}
}

func (v *Validator) reportHungWaits(now time.Time) {
	var hung []waitRec
	for i := range v.hangs.shards {
		s := &v.hangs.shards[i]
		s.mu.Lock()
		for id, w := range s.waits {
			if !w.reported && now.Sub(w.since) >= v.hangTimeout() {
				w.reported = true
				s.waits[id] = w
				hung = append(hung, w)
			}
		}
		s.mu.Unlock()
	}
	for _, w := range hung {
		v.reportHung(w, now)
	}
}

// currentWaits lists the waits in progress, oldest first.
func (v *Validator) currentWaits() []waitRec {
	var ws []waitRec
	for i := range v.hangs.shards {
		s := &v.hangs.shards[i]
		s.mu.Lock()
		for _, w := range s.waits {
			ws = append(ws, w)
		}
		s.mu.Unlock()
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].since.Before(ws[j].since) })
	return ws
}

// reportHung makes the Hung report of one wait. It runs on the watchdog,
// so the waiter's own held locks come from the dump.
func (v *Validator) reportHung(w waitRec, now time.Time) {
	r := &Report{Kind: Hung, Goroutine: w.goid, Lock: &LockRef{Class: w.what}, Classes: []string{w.what}}
	all := v.AllHeldLocks()
	for _, g := range all {
		if g.Goroutine == w.goid {
			r.HeldLocks = g.Locks
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "goroutine %d has waited for %s for %s (more than %s; Options.HangTimeout, LOCKDEP_HANG_TIMEOUT)\n",
		w.goid, w.what, now.Sub(w.since).Round(time.Millisecond), v.hangTimeout())
	b.WriteString(FormatAllHeldLocks(all))
	b.WriteString("\nShowing all waits in progress:\n")
	for _, x := range v.currentWaits() {
		fmt.Fprintf(&b, "  goroutine %d waits for %s (for %s)\n", x.goid, x.what, now.Sub(x.since).Round(time.Millisecond))
	}
	r.Message = strings.TrimRight(b.String(), "\n")
	v.report(r)
}
