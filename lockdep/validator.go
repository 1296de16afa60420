package lockdep

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Validator. The zero value of every field means the
// documented default.
type Options struct {
	// MaxClasses bounds the number of lock classes (default 8192).
	MaxClasses int
	// MaxEdges bounds the number of direct dependencies (default 131072).
	MaxEdges int
	// MaxChains bounds the number of cached lock chains (default 65536).
	MaxChains int
	// MaxDepth bounds the locks one goroutine may hold (default 1024; a
	// goroutine's table starts small and grows to it).
	MaxDepth int
	// StackDepth bounds the frames kept per dependency stack (default 32).
	StackDepth int
	// MaxProblems bounds the distinct problems remembered for
	// de-duplication (default 10000).
	MaxProblems int
	// MaxInstancePairs bounds the pairs of instances of site classes
	// (locks without a key) whose nesting order is learned (default
	// 65536). Pairs of garbage-collected locks are forgotten.
	MaxInstancePairs int
	// Rules chooses between Go's rules (the default: any goroutine may
	// unlock a locked lock) and the kernel's (an unlock by a goroutine
	// that does not hold the lock is a BadUnlock report).
	Rules Rules
	// OneShot stops all reporting after the first report, as the kernel
	// does. By default each distinct problem is reported once and
	// validation goes on.
	OneShot bool
	// HangTimeout is how long a goroutine may wait for a lock or an event
	// before a Hung report shows every goroutine's locks and waits
	// (hang.go; default DefaultHangTimeout, 30 s); negative turns it off.
	HangTimeout time.Duration
	// Shuffle, when not zero, perturbs schedules at acquisitions and
	// waits (a yield or a short sleep, chosen by a generator seeded with
	// it; perturb.go), so that runs of one test explore more orders.
	Shuffle int64
	// Handler receives every report, synchronously, before the offending
	// call returns. Nil prints the report to standard error.
	Handler func(*Report)
}

// The defaults of the Options bounds, also the bounds package reports
// applies to uploads.
const (
	DefaultMaxClasses       = 8192
	DefaultMaxEdges         = 131072
	DefaultMaxChains        = 65536
	DefaultMaxDepth         = 1024
	DefaultStackDepth       = 32
	DefaultMaxProblems      = 10000
	DefaultMaxInstancePairs = 65536
	// DefaultHangTimeout is how long a wait may last before it is
	// reported (hang.go).
	DefaultHangTimeout = 30 * time.Second
)

// Rules is the set of locking rules a validator enforces beyond lock order.
type Rules uint8

const (
	// GoRules follows package sync: any goroutine may unlock a locked
	// Mutex or RWMutex, and the one that locked it stops holding it.
	GoRules Rules = iota
	// KernelRules follows the kernel: only the goroutine that took a lock
	// may release it, except through the NonOwner methods; any other
	// release is a BadUnlock report.
	KernelRules
)

func (r Rules) String() string {
	switch r {
	case GoRules:
		return "go"
	case KernelRules:
		return "kernel"
	}
	return fmt.Sprintf("rules(%d)", uint8(r))
}

func (o Options) withDefaults() (Options, error) {
	var errs []string
	check := func(name string, v *int, def int) {
		switch {
		case *v == 0:
			*v = def
		case *v < 0:
			errs = append(errs, fmt.Sprintf("%s is %d, must be positive", name, *v))
		}
	}
	check("MaxClasses", &o.MaxClasses, DefaultMaxClasses)
	check("MaxEdges", &o.MaxEdges, DefaultMaxEdges)
	check("MaxChains", &o.MaxChains, DefaultMaxChains)
	check("MaxDepth", &o.MaxDepth, DefaultMaxDepth)
	check("StackDepth", &o.StackDepth, DefaultStackDepth)
	check("MaxProblems", &o.MaxProblems, DefaultMaxProblems)
	check("MaxInstancePairs", &o.MaxInstancePairs, DefaultMaxInstancePairs)
	if o.HangTimeout == 0 {
		o.HangTimeout = DefaultHangTimeout
	}
	if o.Rules != GoRules && o.Rules != KernelRules {
		errs = append(errs, fmt.Sprintf("Rules is %d, must be GoRules or KernelRules", o.Rules))
	}
	if o.MaxClasses > 1<<24 {
		errs = append(errs, fmt.Sprintf("MaxClasses is %d, at most %d", o.MaxClasses, 1<<24))
	}
	if len(errs) > 0 {
		return o, fmt.Errorf("lockdep: bad options: %v", errs)
	}
	return o, nil
}

// Validator is one lock-dependency validator: its classes, dependency
// graph, chain cache, per-goroutine held locks and reports. Locks belong to
// the validator their Map was created with; the package-level functions use
// the default validator, built from the environment (see EnvOptions).
type Validator struct {
	opts Options

	gen          atomic.Uint64 // bumped by Reset; classes of older generations are stale
	tasks        *taskTable
	pairs        pairTable
	chains       atomic.Pointer[chainTable]
	hangs        hangTable                  // waits in progress (hang.go)
	events       atomic.Pointer[chainTable] // completions checked (event_graph.go); nil until the first
	handler      atomic.Pointer[func(*Report)]
	stopped      atomic.Bool // a limit overflowed: no more graph validation
	silenced     atomic.Bool // one-shot mode has reported: no more reports
	nreports     atomic.Int64
	statsOn      atomic.Bool
	rare         atomic.Uint32 // rareStats|rareStopped|rareShuffle: acquire's general path
	exitedMu     sync.Mutex    // one CheckExited at a time (exited.go)
	rules        atomic.Uint32 // Rules; Options.Rules until SetRules
	misses       atomic.Uint64
	maxDepthSeen atomic.Int64

	// mu is the graph lock. It guards everything below and is taken only on
	// the slow path: a new class, a chain not seen before, a report.
	mu        sync.Mutex
	g         classGraph
	chainInfo map[uint64]*chainInfo
	problems  problemLog
	pending   []*pendingReport // reports waiting on provisional holds (hold.go)
	npending  int
	tokens    map[*Map][]*holdToken // the open tokens of each lock
}

// New returns a validator. It returns an error listing every bad option.
func New(opts Options) (*Validator, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	v := &Validator{opts: o, tasks: newTaskTable()}
	v.hangs.wake = make(chan struct{}, 1)
	if o.Handler != nil {
		h := o.Handler
		v.handler.Store(&h)
	}
	v.gen.Store(1)
	v.rules.Store(uint32(o.Rules))
	v.setRare(rareShuffle, o.Shuffle != 0)
	v.resetLocked()
	return v, nil
}

// MustNew is New for options known to be valid; it panics otherwise.
func MustNew(opts Options) *Validator {
	v, err := New(opts)
	if err != nil {
		panic(err)
	}
	return v
}

func (v *Validator) resetLocked() {
	v.g.reset()
	v.chainInfo = make(map[uint64]*chainInfo)
	v.problems.reset()
	v.chains.Store(newChainTable(v.opts.MaxChains))
	v.events.Store(nil)
	v.pairs.reset()
	v.pending, v.npending, v.tokens = nil, 0, nil
}

// Reset forgets every class, dependency, chain and report, and re-arms a
// validator that stopped after a report or an overflow. Everything said
// about keys goes too: call RegisterKey and SetInstanceOrder again after a
// Reset for keys that need them. Locks created before it keep
// working: their classes are looked up again on next use. Locks held
// across a Reset stay held.
func (v *Validator) Reset() {
	v.mu.Lock()
	v.gen.Add(1)
	v.resetLocked()
	v.stopped.Store(false)
	v.setRare(rareStopped, false)
	v.silenced.Store(false)
	v.nreports.Store(0)
	v.misses.Store(0)
	v.maxDepthSeen.Store(0)
	v.mu.Unlock()
}

// SetRules switches v between Go's and the kernel's rules (see
// Options.Rules) and returns the rules it had.
func (v *Validator) SetRules(r Rules) Rules { return Rules(v.rules.Swap(uint32(r))) }

// currentRules returns the rules v enforces.
func (v *Validator) currentRules() Rules { return Rules(v.rules.Load()) }

// SetHandler routes every report of v to h and returns a function that
// restores the previous handler. A nil h restores the default (standard
// error).
func (v *Validator) SetHandler(h func(*Report)) (restore func()) {
	var p *func(*Report)
	if h != nil {
		p = &h
	}
	old := v.handler.Swap(p)
	return func() { v.handler.Store(old) }
}

// ReportCount returns how many reports v has made since it was created or
// last Reset.
func (v *Validator) ReportCount() int64 { return v.nreports.Load() }

// Reports returns the most recent reports (at most 1000).
func (v *Validator) Reports() []*Report {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]*Report(nil), v.problems.reports...)
}

// stopState reports whether graph validation has stopped because a limit
// overflowed, and which limit.
func (v *Validator) stopState() (bool, string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.stopped.Load(), v.problems.limitHit
}

// deliver hands reports to the handler. It must be called without the graph
// lock, because a handler may itself take instrumented locks.
func (v *Validator) deliver(rs []*Report) {
	for _, r := range rs {
		if h := v.handler.Load(); h != nil {
			(*h)(r)
		} else {
			fmt.Fprint(os.Stderr, r.String())
			failTestBinary()
		}
	}
}

// fileLocked records r unless the same problem was reported before, and
// returns the report to deliver: r, nil, or the LimitExceeded report that
// replaces it when too many problems have been remembered.
func (v *Validator) fileLocked(r *Report) *Report {
	if v.silenced.Load() {
		return nil
	}
	if v.problems.seen(r) {
		return nil
	}
	if v.problems.full(v.opts.MaxProblems) && r.Kind != LimitExceeded {
		return v.overflowLocked("MaxProblems", v.opts.MaxProblems)
	}
	v.problems.add(r)
	v.nreports.Add(1)
	if v.opts.OneShot {
		v.silenced.Store(true)
	}
	return r
}

// report files and delivers one report; the caller does not hold the graph
// lock.
func (v *Validator) report(r *Report) {
	v.mu.Lock()
	r = v.fileLocked(r)
	v.mu.Unlock()
	if r != nil {
		v.deliver([]*Report{r})
	}
}

// overflowLocked stops graph validation because limit overflowed and
// returns the report that says so (nil if already stopped). The message
// names what filled the table and how to raise the limit.
func (v *Validator) overflowLocked(limit string, value int) *Report {
	if v.stopped.Load() {
		return nil
	}
	v.stopped.Store(true)
	v.setRare(rareStopped, true)
	v.problems.limitHit = limit
	msg := fmt.Sprintf("%s (%d) reached: lock validation is now off for this validator", limit, value)
	if culprit := v.culpritLocked(limit); culprit != "" {
		msg += "; " + culprit
	}
	msg += fmt.Sprintf("; raise it with Options.%s or %s", limit, envName(limit))
	if limit == "MaxClasses" {
		msg += ", or give locks made in a loop one key (Init(name, &key)) instead of a class each"
	}
	r := &Report{Kind: LimitExceeded, Limit: limit, Message: msg}
	return v.fileLocked(r)
}

// envName is the environment variable of an Options field.
func envName(field string) string {
	var b []byte
	for i, c := range field {
		if i > 0 && c >= 'A' && c <= 'Z' {
			b = append(b, '_')
		}
		b = append(b, byte(c&^0x20))
	}
	return "LOCKDEP_" + string(b)
}

// culpritLocked says what filled the table of limit: the class name with
// the most classes, or the class with the most dependencies or chains.
func (v *Validator) culpritLocked(limit string) string {
	switch limit {
	case "MaxClasses":
		counts := make(map[string]int)
		top := ""
		for _, c := range v.g.classes {
			n := c.ki.name
			if i := strings.LastIndexByte(n, '#'); i > 0 {
				n = n[:i]
			}
			counts[n]++
			if top == "" || counts[n] > counts[top] || counts[n] == counts[top] && n < top {
				top = n
			}
		}
		if top != "" {
			return fmt.Sprintf("%d of the classes are named %q", counts[top], top)
		}
	case "MaxEdges":
		var top *class
		for _, c := range v.g.classes {
			if top == nil || len(c.after)+len(c.before) > len(top.after)+len(top.before) {
				top = c
			}
		}
		if top != nil {
			return fmt.Sprintf("class %s has the most dependencies (%d)", top.name, len(top.after)+len(top.before))
		}
	case "MaxChains":
		counts := make(map[*class]int)
		var top *class
		for _, ci := range v.chainInfo {
			for _, c := range ci.classes {
				counts[c]++
				if top == nil || counts[c] > counts[top] {
					top = c
				}
			}
		}
		if top != nil {
			return fmt.Sprintf("class %s is in the most chains (%d)", top.name, counts[top])
		}
	}
	return ""
}
