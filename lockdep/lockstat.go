package lockdep

import (
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// LockStat is one line of contention statistics, like the kernel's
// /proc/lock_stat: one per class and side (write or read).
type LockStat struct {
	Class        string            `json:"class"`
	Read         bool              `json:"read"` // the read side of a reader/writer lock
	Contentions  uint64            `json:"contentions"`
	Acquisitions uint64            `json:"acquisitions"`
	WaitMin      time.Duration     `json:"wait_min_ns"`
	WaitMax      time.Duration     `json:"wait_max_ns"`
	WaitTotal    time.Duration     `json:"wait_total_ns"`
	HoldMin      time.Duration     `json:"hold_min_ns"`
	HoldMax      time.Duration     `json:"hold_max_ns"`
	HoldTotal    time.Duration     `json:"hold_total_ns"`
	Points       []ContentionPoint `json:"points,omitempty"` // top contention points, most first
}

// ContentionPoint is a place where goroutines waited for the class.
type ContentionPoint struct {
	Frame Frame  `json:"frame"`
	Count uint64 `json:"count"`
}

// Collection. Package locks calls Map.wait and Map.granted around a wait
// (through internal/plumbing); the validator stamps each held lock when it is taken and adds its hold
// time when it is released. All of it is skipped while statistics are off
// (the default), at the cost of one atomic load per operation.

// sideStat accumulates one side (write or read) of a class.
type sideStat struct {
	contentions, acquisitions atomic.Uint64
	waitMin, waitMax, waitSum atomic.Int64
	holdMin, holdMax, holdSum atomic.Int64
	pointsMu                  sync.Mutex
	points                    map[Frame]uint64 // where goroutines waited -> contentions
}

// classStat is a class's statistics: [0] write side, [1] read side.
type classStat [2]sideStat

const maxPoints = 64 // contention points kept per class side

func storeMin(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if old != 0 && old <= v {
			return
		}
		if a.CompareAndSwap(old, v) {
			return
		}
	}
}

func storeMax(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if old >= v {
			return
		}
		if a.CompareAndSwap(old, v) {
			return
		}
	}
}

// EnableLockStats switches contention statistics on or off for v.
func (v *Validator) EnableLockStats(on bool) {
	v.statsOn.Store(on)
	v.setRare(rareStats, on)
}

// EnableLockStats switches statistics on or off for the default validator.
func EnableLockStats(on bool) { std.EnableLockStats(on) }

func sideOf(mode Mode) int {
	if mode.reader() {
		return 1
	}
	return 0
}

// wait records that the calling goroutine, having announced m with
// Acquire, is about to block on it: held-lock dumps show it as waiting, not
// held. It returns the time the wait started when statistics are on (0
// otherwise), for granted. Package locks calls it only when a lock is
// contended, so the uncontended path pays nothing.
func (m *Map) wait() (start int64) {
	if !Enabled {
		return 0
	}
	v := m.validator()
	if t := v.tasks.ownTask(false); t != nil {
		if i := t.find(m); i >= 0 {
			t.held[i].waiting = true
			v.beginWait(t.goid, t.held[i].class.name)
		}
		v.watchWait(t)
		t.publish()
	}
	if v.statsOn.Load() {
		return nanotime()
	}
	return 0
}

// granted records that the wait announced by wait is over and m is held in
// mode; with statistics on it counts the contention and its wait time, and
// m's hold time starts now.
func (m *Map) granted(mode Mode, start int64) {
	if !Enabled {
		return
	}
	v := m.validator()
	t := v.tasks.ownTask(false)
	i := -1
	if t != nil {
		if i = t.find(m); i >= 0 {
			t.held[i].waiting = false
		}
		v.endWait(t.goid)
		if t.waitTimer != nil {
			t.waitTimer.Stop()
			t.waitTimer = nil
		}
		t.publish()
	}
	if start == 0 || !v.statsOn.Load() {
		return
	}
	c := m.classFor(v, 0)
	if c == nil {
		return
	}
	s := &c.stat[sideOf(mode)]
	s.contentions.Add(1)
	w := nanotime() - start
	storeMin(&s.waitMin, w)
	storeMax(&s.waitMax, w)
	s.waitSum.Add(w)
	var pcs [16]uintptr
	n := runtime.Callers(2, pcs[:])
	if fs := stackFrames(pcs[:n], 1); len(fs) == 1 { // the first frame outside the lock code
		s.pointsMu.Lock()
		if s.points == nil {
			s.points = make(map[Frame]uint64)
		}
		if _, ok := s.points[fs[0]]; ok || len(s.points) < maxPoints {
			s.points[fs[0]]++
		}
		s.pointsMu.Unlock()
	}
	if i >= 0 {
		t.held[i].since = nanotime()
		t.publish()
	}
}

// acquiredStat counts an acquisition and stamps its start.
func (c *class) acquiredStat(h *heldLock) {
	c.stat[sideOf(h.mode)].acquisitions.Add(1)
	h.since = nanotime()
}

// releasedStat adds the hold time of h.
func releasedStat(h *heldLock) {
	if h.since == 0 || h.class == nil {
		return
	}
	d := nanotime() - h.since
	s := &h.class.stat[sideOf(h.mode)]
	storeMin(&s.holdMin, d)
	storeMax(&s.holdMax, d)
	s.holdSum.Add(d)
}

var clockBase = time.Now()

func nanotime() int64 { return int64(time.Since(clockBase)) + 1 }

// LockStats returns the statistics of every class that was acquired while
// statistics were on, write side and read side separately, sorted by
// class name.
func (v *Validator) LockStats() []LockStat {
	v.mu.Lock()
	cs := make([]*class, 0, len(v.g.classes))
	for _, c := range v.g.classes {
		cs = append(cs, c)
	}
	v.mu.Unlock()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	var out []LockStat
	for _, c := range cs {
		for side := range c.stat {
			s := &c.stat[side]
			if s.acquisitions.Load() == 0 && s.contentions.Load() == 0 {
				continue
			}
			ls := LockStat{Class: c.name, Read: side == 1,
				Contentions: s.contentions.Load(), Acquisitions: s.acquisitions.Load(),
				WaitMin: time.Duration(s.waitMin.Load()), WaitMax: time.Duration(s.waitMax.Load()), WaitTotal: time.Duration(s.waitSum.Load()),
				HoldMin: time.Duration(s.holdMin.Load()), HoldMax: time.Duration(s.holdMax.Load()), HoldTotal: time.Duration(s.holdSum.Load())}
			s.pointsMu.Lock()
			for f, n := range s.points {
				ls.Points = append(ls.Points, ContentionPoint{Frame: f, Count: n})
			}
			s.pointsMu.Unlock()
			sort.Slice(ls.Points, func(i, j int) bool {
				if ls.Points[i].Count != ls.Points[j].Count {
					return ls.Points[i].Count > ls.Points[j].Count
				}
				return ls.Points[i].Frame.Function < ls.Points[j].Frame.Function
			})
			out = append(out, ls)
		}
	}
	return out
}

// LockStats returns the default validator's contention statistics.
func LockStats() []LockStat { return std.LockStats() }
