//go:build !lockdep_off

package lockdep_test

// A differential test of the validator against a naive reference model of
// the kernel's rules, on random lock/unlock programs.
//
// The reference keeps a set of class -> class dependencies with the
// kernel's four types and, on every blocking acquisition, searches the
// whole graph from scratch for a strong path closing a cycle. It has no
// chain cache, no topological order, no incremental anything. The rules it
// follows (Documentation/locking/lockdep-design.rst, "Dependency types and
// strong dependency paths", and kernel/locking/lockdep.c):
//
//   - a trylock is pushed on the held stack and nothing else: it adds no
//     dependency and is not checked;
//   - a blocking acquisition of a class already held is Recursive, unless it
//     is a recursive read and the held one is a reader of any kind; a
//     Recursive acquisition adds no dependency;
//   - otherwise it depends on the held lock right below it, and on each lock
//     further down as long as the ones above were trylocks, stopping after
//     the first that was not (check_prevs_add);
//   - a dependency prev -> next of type XY (X: prev held exclusively or
//     shared, Y: next taken as a recursive reader or not) is a Circular
//     problem if a strong path leads from next back to prev that the new
//     dependency closes into a strong cycle: no step may enter a class as a
//     recursive reader and leave it as a reader (check_noncircular and
//     hlock_conflict); such a dependency is not added;
//   - releasing a lock that is not the innermost validates the locks above
//     it again, as if taken again in order (reacquire_held_locks), and so
//     does a downgrade, from the downgraded lock up.
//
// Unlike the kernel, the validator goes on after a report and reports each
// problem once: a Recursive problem is its class, a Circular one the set of
// classes on its cycle. When several shortest cycles close at once the
// validator may name any of them, so the reference computes all of them
// and accepts the validator's choice if it is one.

import (
	"flag"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
)

var (
	diffPrograms = flag.Int("diff.programs", 600, "random programs for TestDifferential")
	diffSeed     = flag.Uint64("diff.seed", 0, "run only this TestDifferential seed (0: all)")
	// diffBudget bounds the differential test's time, -short or not; it
	// stops early (and says so) rather than slow the suite down.
	diffBudget = flag.Duration("diff.budget", 15*time.Second, "time budget of TestDifferential")
)

// Dependency types, as bits (the reference's own encoding).
const (
	refEN uint8 = 1 << iota // held exclusively, taken non-recursively
	refER                   // held exclusively, taken as a recursive reader
	refSN                   // held shared, taken non-recursively
	refSR                   // held shared, taken as a recursive reader
)

func refDepType(held, next lockdep.Mode) uint8 {
	shared := held != lockdep.Exclusive
	rec := next == lockdep.RecursiveRead
	switch {
	case !shared && !rec:
		return refEN
	case !shared:
		return refER
	case !rec:
		return refSN
	}
	return refSR
}

func refTypesString(t uint8) string {
	var parts []string
	for _, x := range []struct {
		bit  uint8
		name string
	}{{refEN, "EN"}, {refER, "ER"}, {refSN, "SN"}, {refSR, "SR"}} {
		if t&x.bit != 0 {
			parts = append(parts, x.name)
		}
	}
	return "-(" + strings.Join(parts, ",") + ")->"
}

// A program is a sequence of operations in a few contexts (goroutines).
type opKind int

const (
	opAcquire opKind = iota
	opRelease
	opDowngrade
)

type diffOp struct {
	kind opKind
	ctx  int
	inst int // instance; its key is inst / instPerKey
	sub  int
	mode lockdep.Mode
	try  bool
}

const instPerKey = 2

func (o diffOp) String() string {
	name := fmt.Sprintf("K%d%c", o.inst/instPerKey, 'a'+o.inst%instPerKey)
	switch o.kind {
	case opRelease:
		return fmt.Sprintf("g%d: release %s", o.ctx, name)
	case opDowngrade:
		return fmt.Sprintf("g%d: downgrade %s", o.ctx, name)
	}
	verb := "acquire"
	if o.try {
		verb = "trylock"
	}
	return fmt.Sprintf("g%d: %s %s sub %d %v", o.ctx, verb, name, o.sub, o.mode)
}

type diffProgram struct {
	seed  uint64
	nKeys int
	nCtx  int
	ops   []diffOp
}

func (p *diffProgram) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d: %d keys, %d goroutines\n", p.seed, p.nKeys, p.nCtx)
	for i, o := range p.ops {
		fmt.Fprintf(&b, "  %3d  %v\n", i, o)
	}
	return b.String()
}

// genProgram makes a random program that releases only what it holds and
// ends holding nothing. Programs differ in how many classes and contexts
// they use and which modes: some take only exclusive locks, some exclusive
// and shared, some all three, so that both all-strong graphs and graphs
// with harmless recursive-read cycles are exercised.
func genProgram(seed uint64) *diffProgram {
	rng := rand.New(rand.NewSource(int64(seed)))
	p := &diffProgram{seed: seed, nKeys: 3 + rng.Intn(4), nCtx: 1 + rng.Intn(3)}
	modes := [][]lockdep.Mode{
		{lockdep.Exclusive},
		{lockdep.Exclusive, lockdep.Shared},
		{lockdep.Exclusive, lockdep.Shared, lockdep.RecursiveRead},
		{lockdep.Exclusive, lockdep.RecursiveRead},
	}[rng.Intn(4)]
	tryP := []float64{0, 0.1, 0.25}[rng.Intn(3)]
	subP := []float64{0, 0.15}[rng.Intn(2)]
	n := 20 + rng.Intn(60)
	held := make([][]diffOp, p.nCtx)
	for len(p.ops) < n {
		c := rng.Intn(p.nCtx)
		h := held[c]
		r := rng.Float64()
		switch {
		case len(h) == 0 || (len(h) < 6 && r < 0.55):
			o := diffOp{kind: opAcquire, ctx: c, inst: rng.Intn(p.nKeys * instPerKey), mode: modes[rng.Intn(len(modes))]}
			if rng.Float64() < subP {
				o.sub = 1
			}
			o.try = rng.Float64() < tryP
			held[c] = append(h, o)
			p.ops = append(p.ops, o)
		case r < 0.6:
			// Downgrade the innermost exclusive hold of some instance.
			i := rng.Intn(len(h))
			j := topmost(h, h[i].inst)
			if h[j].mode != lockdep.Exclusive {
				continue
			}
			h[j].mode = lockdep.Shared
			p.ops = append(p.ops, diffOp{kind: opDowngrade, ctx: c, inst: h[j].inst})
		default:
			i := len(h) - 1
			if rng.Float64() < 0.4 {
				i = rng.Intn(len(h))
			}
			inst := h[i].inst
			j := topmost(h, inst)
			held[c] = slices.Delete(h, j, j+1)
			p.ops = append(p.ops, diffOp{kind: opRelease, ctx: c, inst: inst})
		}
	}
	for c := range held {
		for h := held[c]; len(h) > 0; h = h[:len(h)-1] {
			p.ops = append(p.ops, diffOp{kind: opRelease, ctx: c, inst: h[len(h)-1].inst})
		}
	}
	return p
}

// topmost returns the index of the innermost hold of inst, as a release
// or downgrade of an instance held twice applies to it.
func topmost(h []diffOp, inst int) int {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].inst == inst {
			return i
		}
	}
	return -1
}

// valid reports whether every release and downgrade of p applies to a lock
// its context holds (for shrinking).
func (p *diffProgram) valid() bool {
	held := make([][]diffOp, p.nCtx)
	for _, o := range p.ops {
		h := held[o.ctx]
		switch o.kind {
		case opAcquire:
			held[o.ctx] = append(h, o)
		case opRelease:
			j := topmost(h, o.inst)
			if j < 0 {
				return false
			}
			held[o.ctx] = slices.Delete(h, j, j+1)
		case opDowngrade:
			j := topmost(h, o.inst)
			if j < 0 || h[j].mode != lockdep.Exclusive {
				return false
			}
			h[j].mode = lockdep.Shared
		}
	}
	for _, h := range held {
		if len(h) > 0 {
			return false
		}
	}
	return true
}

// The reference model.

type refHeld struct {
	inst  int
	class int // key*8 + subclass
	mode  lockdep.Mode
	try   bool
}

type refModel struct {
	edges map[[2]int]uint8 // from, to -> types
	held  [][]refHeld
	// chains, when not nil, holds every chain of held locks validated so
	// far, and a chain in it is not validated again: the kernel's
	// lookup_chain_cache_add, which caches a chain before validating it.
	chains map[string]bool
}

func refClassName(c int) string {
	if c%8 == 0 {
		return fmt.Sprintf("K%d", c/8)
	}
	return fmt.Sprintf("K%d/%d", c/8, c%8)
}

// detection is a problem the reference finds; keys are the dedup keys the
// validator may file it under (one for Recursive, one per shortest cycle
// for Circular).
type detection struct {
	kind lockdep.Kind
	keys []string
	desc string
}

func dedupKey(kind lockdep.Kind, classes []string) string {
	cs := slices.Clone(classes)
	sort.Strings(cs)
	return kind.String() + "|" + strings.Join(cs, "|")
}

// step applies one operation and returns what it detects.
func (m *refModel) step(o diffOp) []detection {
	h := m.held[o.ctx]
	switch o.kind {
	case opAcquire:
		h = append(h, refHeld{inst: o.inst, class: o.inst/instPerKey*8 + o.sub, mode: o.mode, try: o.try})
		m.held[o.ctx] = h
		return m.validate(h, len(h)-1)
	case opRelease:
		j := topmost2(h, o.inst)
		h = slices.Delete(h, j, j+1)
		m.held[o.ctx] = h
		return m.revalidate(h, j)
	case opDowngrade:
		j := topmost2(h, o.inst)
		h[j].mode = lockdep.Shared
		return m.revalidate(h, j)
	}
	return nil
}

func topmost2(h []refHeld, inst int) int {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].inst == inst {
			return i
		}
	}
	panic("release of a lock not held")
}

// revalidate takes held[from:] again, in order.
func (m *refModel) revalidate(held []refHeld, from int) []detection {
	var out []detection
	for j := from; j < len(held); j++ {
		out = append(out, m.validate(held, j)...)
	}
	return out
}

// validate checks the acquisition of held[j] with held[:j] held.
func (m *refModel) validate(held []refHeld, j int) []detection {
	next := held[j]
	if next.try {
		return nil
	}
	// The very instance again, whatever its subclass, is a recursion,
	// checked on every acquisition: the chain cache cannot see instances.
	var same []detection
	sameClass := false
	for i := 0; i < j; i++ {
		if h := held[i]; h.inst == next.inst && !(next.mode == lockdep.RecursiveRead && h.mode != lockdep.Exclusive) {
			sameClass = h.class == next.class
			name := refClassName(next.class)
			same = []detection{{kind: lockdep.Recursive, keys: []string{dedupKey(lockdep.Recursive, []string{name})},
				desc: "same instance again " + name}}
			break
		}
	}
	chainKey := ""
	if m.chains != nil {
		var b strings.Builder
		for _, h := range held[:j+1] {
			fmt.Fprintf(&b, "%d/%d/%t ", h.class, h.mode, h.try)
		}
		chainKey = b.String()
		if m.chains[chainKey] {
			return same
		}
		// Cached after the check, and only if the check refused nothing
		// (below): a refused dependency is checked again next time.
	}
	cache := func() {
		if m.chains != nil {
			m.chains[chainKey] = true
		}
	}
	if same != nil {
		// No dependencies from a recursion. Under another subclass it is
		// about this instance only, so the chain is not cached then.
		if sameClass {
			cache()
		}
		return same
	}
	for i := 0; i < j; i++ {
		h := held[i]
		if h.class != next.class {
			continue
		}
		if next.mode == lockdep.RecursiveRead && h.mode != lockdep.Exclusive {
			continue
		}
		name := refClassName(next.class)
		cache()
		return []detection{{kind: lockdep.Recursive, keys: []string{dedupKey(lockdep.Recursive, []string{name})},
			desc: "recursive " + name}}
	}
	var out []detection
	for i := j - 1; i >= 0; i-- {
		prev := held[i]
		// A class held again by a recursive reader adds no dependency on
		// itself: a self-dependency can never be part of a strong cycle.
		if prev.class != next.class {
			paths := m.strongPaths(next.class, next.mode == lockdep.RecursiveRead, prev.class, prev.mode != lockdep.Exclusive)
			if paths == nil {
				m.edges[[2]int{prev.class, next.class}] |= refDepType(prev.mode, next.mode)
			} else {
				d := detection{kind: lockdep.Circular,
					desc: fmt.Sprintf("new %s %s %s closes %v", refClassName(prev.class),
						refTypesString(refDepType(prev.mode, next.mode)), refClassName(next.class), paths)}
				for _, p := range paths {
					names := make([]string, len(p))
					for k, c := range p {
						names[k] = refClassName(c)
					}
					d.keys = append(d.keys, dedupKey(lockdep.Circular, names))
				}
				out = append(out, d)
			}
		}
		if !prev.try {
			break
		}
	}
	if len(out) == 0 {
		cache()
	}
	return out
}

// strongPaths returns every shortest strong path (as class sequences) from
// class from, entered as a recursive reader if fromR, to class to, arriving
// in a state that a dependency leaving to as a reader (closeS) keeps strong.
// It is a breadth-first search over (class, entered-as-recursive-reader)
// states, done from scratch.
func (m *refModel) strongPaths(from int, fromR bool, to int, closeS bool) [][]int {
	type state struct {
		c int
		r bool
	}
	accept := func(s state) bool { return s.c == to && !(s.r && closeS) }
	dist := map[state]int{{from, fromR}: 0}
	preds := map[state][]state{}
	layer := []state{{from, fromR}}
	var targets []state
	for d := 0; len(layer) > 0; d++ {
		for _, s := range layer {
			if accept(s) {
				targets = append(targets, s)
			}
		}
		if len(targets) > 0 {
			break
		}
		var nextLayer []state
		for _, s := range layer {
			for pair, types := range m.edges {
				if pair[0] != s.c {
					continue
				}
				if s.r {
					types &= refEN | refER // entered as a recursive reader: leave exclusively
				}
				for _, t := range []uint8{refEN, refER, refSN, refSR} {
					if types&t == 0 {
						continue
					}
					ns := state{pair[1], t == refER || t == refSR}
					if nd, ok := dist[ns]; ok {
						if nd == d+1 {
							preds[ns] = append(preds[ns], s)
						}
						continue
					}
					dist[ns] = d + 1
					preds[ns] = []state{s}
					nextLayer = append(nextLayer, ns)
				}
			}
		}
		layer = nextLayer
	}
	if len(targets) == 0 {
		return nil
	}
	var paths [][]int
	var walk func(s state, suffix []int)
	walk = func(s state, suffix []int) {
		suffix = append([]int{s.c}, suffix...)
		if dist[s] == 0 {
			paths = append(paths, suffix)
			return
		}
		for _, p := range preds[s] {
			walk(p, suffix)
		}
	}
	for _, s := range targets {
		walk(s, nil)
	}
	return paths
}

// edgeStrings lists the reference's dependencies as the validator's
// snapshot writes them.
func (m *refModel) edgeStrings() []string {
	var out []string
	for pair, types := range m.edges {
		out = append(out, fmt.Sprintf("%s %s %s", refClassName(pair[0]), refTypesString(types), refClassName(pair[1])))
	}
	sort.Strings(out)
	return out
}

// The validator side: one goroutine per context, driven in lock step so
// that the program is sequential and deterministic.

type diffCtx struct {
	ops  chan func()
	done chan struct{}
}

func newDiffCtx() *diffCtx {
	c := &diffCtx{ops: make(chan func()), done: make(chan struct{})}
	go func() {
		for f := range c.ops {
			f()
			c.done <- struct{}{}
		}
	}()
	return c
}

func (c *diffCtx) run(f func()) {
	c.ops <- f
	<-c.done
}

// diffStats counts what the programs exercised.
type diffStats struct{ circular, recursive, edges int }

// runDifferential runs p through a private validator and the reference and
// returns the first disagreement, or "".
func runDifferential(p *diffProgram, chainOnce bool) string {
	msg, _ := runDifferentialStats(p, chainOnce)
	return msg
}

func runDifferentialStats(p *diffProgram, chainOnce bool) (string, diffStats) {
	var st diffStats
	var mu sync.Mutex
	var got []*lockdep.Report
	v := lockdep.MustNew(lockdep.Options{Rules: lockdep.KernelRules, Handler: func(r *lockdep.Report) {
		mu.Lock()
		got = append(got, r)
		mu.Unlock()
	}})
	keys := make([]lockdep.Key, p.nKeys)
	maps := make([]*lockdep.Map, p.nKeys*instPerKey)
	for k := range keys {
		v.RegisterKey(&keys[k], fmt.Sprintf("K%d", k))
	}
	for i := range maps {
		maps[i] = v.NewMap(fmt.Sprintf("K%d%c", i/instPerKey, 'a'+i%instPerKey), &keys[i/instPerKey])
	}
	ctxs := make([]*diffCtx, p.nCtx)
	for i := range ctxs {
		ctxs[i] = newDiffCtx()
		defer close(ctxs[i].ops)
	}
	ref := &refModel{edges: map[[2]int]uint8{}, held: make([][]refHeld, p.nCtx)}
	if chainOnce {
		ref.chains = map[string]bool{}
	}
	emitted := map[string]bool{}
	for i, o := range p.ops {
		mu.Lock()
		before := len(got)
		mu.Unlock()
		m := maps[o.inst]
		ok := true
		ctxs[o.ctx].run(func() {
			switch o.kind {
			case opAcquire:
				if o.try {
					m.AcquireTry(o.sub, o.mode)
				} else {
					m.Acquire(o.sub, o.mode)
				}
			case opRelease:
				ok = m.Release()
			case opDowngrade:
				ok = ld.Downgrade(m)
			}
		})
		if !ok {
			return fmt.Sprintf("op %d (%v): the validator says the lock is not held", i, o), st
		}
		mu.Lock()
		reps := slices.Clone(got[before:])
		mu.Unlock()
		if msg := matchDetections(ref.step(o), reps, emitted); msg != "" {
			return fmt.Sprintf("op %d (%v): %s", i, o, msg), st
		}
	}
	for i, c := range ctxs {
		var held []lockdep.LockRef
		c.run(func() { held = v.HeldLocks() })
		if len(held) != 0 {
			return fmt.Sprintf("goroutine g%d still holds %v at the end", i, held), st
		}
	}
	var edges []string
	for _, e := range v.Snapshot().Edges {
		edges = append(edges, fmt.Sprintf("%s %s %s", e.From, e.Types, e.To))
	}
	sort.Strings(edges)
	if want := ref.edgeStrings(); !slices.Equal(edges, want) {
		return fmt.Sprintf("dependency graphs differ at the end:\nvalidator: %q\nreference: %q", edges, want), st
	}
	for _, r := range got {
		switch r.Kind {
		case lockdep.Circular:
			st.circular++
		case lockdep.Recursive:
			st.recursive++
		}
	}
	st.edges = len(edges)
	return "", st
}

// matchDetections checks the validator's reports for one operation
// against the reference's detections, and records what was reported.
func matchDetections(dets []detection, reps []*lockdep.Report, emitted map[string]bool) string {
	k := 0
	for _, d := range dets {
		var r *lockdep.Report
		var key string
		if k < len(reps) {
			r = reps[k]
			key = dedupKey(r.Kind, r.Classes)
		}
		fresh := false
		for _, dk := range d.keys {
			fresh = fresh || !emitted[dk]
		}
		switch {
		case r != nil && r.Kind == d.kind && slices.Contains(d.keys, key) && !emitted[key]:
			emitted[key] = true
			k++
		case d.kind == lockdep.Recursive && !fresh:
			// Reported before: the validator stays silent.
		case d.kind == lockdep.Circular && !allFresh(d.keys, emitted):
			// One of the shortest cycles was reported before; the
			// validator may have found that one.
		default:
			if r == nil {
				return fmt.Sprintf("the reference finds %s, the validator reports nothing", d.desc)
			}
			return fmt.Sprintf("the reference finds %s (keys %q), the validator reports %v %q:%s", d.desc, d.keys, r.Kind, key, r)
		}
	}
	if k < len(reps) {
		r := reps[k]
		return fmt.Sprintf("the validator reports %v %v that the reference does not find (it finds %d problems):%s",
			r.Kind, r.Classes, len(dets), r)
	}
	return ""
}

func allFresh(keys []string, emitted map[string]bool) bool {
	for _, k := range keys {
		if emitted[k] {
			return false
		}
	}
	return true
}

// units splits p's operations into groups that can be dropped together
// and leave a valid program: an acquisition with its release and any
// downgrade of it.
func (p *diffProgram) units() [][]int {
	type hold struct {
		inst int
		ops  []int
	}
	held := make([][]*hold, p.nCtx)
	var out [][]int
	for i, o := range p.ops {
		h := held[o.ctx]
		switch o.kind {
		case opAcquire:
			held[o.ctx] = append(h, &hold{inst: o.inst, ops: []int{i}})
		default:
			for j := len(h) - 1; j >= 0; j-- {
				if h[j].inst == o.inst {
					h[j].ops = append(h[j].ops, i)
					if o.kind == opRelease {
						out = append(out, h[j].ops)
						held[o.ctx] = slices.Delete(h, j, j+1)
					}
					break
				}
			}
		}
	}
	return out
}

// without returns p without the operations at the given indexes.
func (p *diffProgram) without(drop []int) *diffProgram {
	q := *p
	q.ops = nil
	for i, o := range p.ops {
		if !slices.Contains(drop, i) {
			q.ops = append(q.ops, o)
		}
	}
	return &q
}

// shrink drops acquisitions (with their releases) and downgrades from a
// failing program while it still fails, to make a short repro.
func shrink(p *diffProgram, chainOnce bool) *diffProgram {
	for changed := true; changed; {
		changed = false
		for _, u := range p.units() {
			if q := p.without(u); q.valid() && runDifferential(q, chainOnce) != "" {
				p, changed = q, true
				break
			}
			if len(u) > 2 { // try keeping the lock but dropping its downgrades
				if q := p.without(u[1 : len(u)-1]); q.valid() && runDifferential(q, chainOnce) != "" {
					p, changed = q, true
					break
				}
			}
		}
	}
	for c := p.nCtx - 1; c > 0; c-- { // try folding contexts together
		q := *p
		q.ops = slices.Clone(p.ops)
		for i := range q.ops {
			if q.ops[i].ctx == c {
				q.ops[i].ctx = c - 1
			}
		}
		if q.valid() && runDifferential(&q, chainOnce) != "" {
			p = &q
		}
	}
	return p
}

// TestDifferential compares the validator's verdicts and final graph with
// the reference's on random programs with fixed seeds, in two variants:
//
//   - no-chain-cache: the reference validates every acquisition from
//     scratch, so the validator's chain cache must never change a verdict;
//   - chain-once: the reference validates each distinct chain of held
//     locks once, as the kernel's lookup_chain_cache_add does, except that
//     a chain whose check refused a dependency (it closed a cycle) is not
//     cached: the kernel stops after its first report and can cache it
//     regardless, but a validator that goes on must check the refused
//     dependency again, or a later, different cycle through it would go
//     unreported.
func TestDifferential(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	for _, mode := range []struct {
		name      string
		chainOnce bool
	}{{"no-chain-cache", false}, {"chain-once", true}} {
		t.Run(mode.name, func(t *testing.T) {
			start := time.Now()
			failures, ran := 0, 0
			var total diffStats
			for seed := uint64(1); seed <= uint64(*diffPrograms); seed++ {
				if *diffSeed != 0 && seed != *diffSeed {
					continue
				}
				if time.Since(start) > *diffBudget/2 {
					t.Logf("time budget of %v used up after %d programs", *diffBudget/2, ran)
					break
				}
				p := genProgram(seed)
				ran++
				msg, st := runDifferentialStats(p, mode.chainOnce)
				total.circular += st.circular
				total.recursive += st.recursive
				total.edges += st.edges
				if msg == "" {
					continue
				}
				if failures++; failures > 3 {
					continue
				}
				if !mode.chainOnce && runDifferential(p, true) == "" {
					msg += "\n(the program agrees when the reference validates each chain once: " +
						"the disagreement is in the chain cache)"
				}
				small := shrink(p, mode.chainOnce)
				t.Errorf("program disagrees: %s\n%v\nshrunk: %s\n%v", msg, p, runDifferential(small, mode.chainOnce), small)
			}
			t.Logf("%d programs, %d disagree; the validator made %d circular and %d recursive reports and recorded %d dependencies",
				ran, failures, total.circular, total.recursive, total.edges)
			if failures > 0 {
				t.Errorf("%d of %d programs disagree", failures, ran)
			}
			if ran < 100 && *diffSeed == 0 {
				t.Errorf("only %d programs ran within %v", ran, *diffBudget/2)
			}
		})
	}
}

// TestDifferentialReference checks the reference itself on programs whose
// verdicts are known from the kernel's selftests, so that the differential
// test does not compare against a broken model.
func TestDifferentialReference(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	E, S, R := lockdep.Exclusive, lockdep.Shared, lockdep.RecursiveRead
	acq := func(inst int, mode lockdep.Mode) diffOp { return diffOp{kind: opAcquire, inst: inst, mode: mode} }
	rel := func(inst int) diffOp { return diffOp{kind: opRelease, inst: inst} }
	// Instances 0, 2, 4 are keys K0, K1, K2; 1 is a second K0.
	cases := []struct {
		name string
		ops  []diffOp
		want []lockdep.Kind
	}{
		{"ABBA", []diffOp{acq(0, E), acq(2, E), rel(2), rel(0), acq(2, E), acq(0, E), rel(0), rel(2)}, []lockdep.Kind{lockdep.Circular}},
		{"AA", []diffOp{acq(0, E), acq(1, E), rel(1), rel(0)}, []lockdep.Kind{lockdep.Recursive}},
		{"rlock AA", []diffOp{acq(0, R), acq(1, R), rel(1), rel(0)}, nil},
		{"rsem AA", []diffOp{acq(0, S), acq(1, S), rel(1), rel(0)}, []lockdep.Kind{lockdep.Recursive}},
		{"rlock ABBA2", []diffOp{acq(0, R), acq(2, E), rel(2), rel(0), acq(2, E), acq(0, R), rel(0), rel(2)}, nil},
		{"rwsem ABBA2", []diffOp{acq(0, S), acq(2, E), rel(2), rel(0), acq(2, E), acq(0, S), rel(0), rel(2)}, []lockdep.Kind{lockdep.Circular}},
		{"W1R2 W2R3 W3R1", []diffOp{acq(0, E), acq(2, R), rel(2), rel(0), acq(2, E), acq(4, R), rel(4), rel(2),
			acq(4, E), acq(0, R), rel(0), rel(4)}, []lockdep.Kind{lockdep.Circular}},
		{"W1W2 R2R3 R3W1", []diffOp{acq(0, E), acq(2, E), rel(2), rel(0), acq(2, R), acq(4, R), rel(4), rel(2),
			acq(4, R), acq(0, E), rel(0), rel(4)}, nil},
		{"trylock adds nothing", []diffOp{acq(0, E), {kind: opAcquire, inst: 2, mode: E, try: true}, rel(2), rel(0),
			acq(2, E), acq(0, E), rel(0), rel(2)}, nil},
		{"through a trylock", []diffOp{acq(0, E), {kind: opAcquire, inst: 4, mode: E, try: true}, acq(2, E), rel(2), rel(4), rel(0),
			acq(2, E), acq(0, E), rel(0), rel(2)}, []lockdep.Kind{lockdep.Circular}},
		// K0 -(ER)-> K1 -(SN)-> K2 is not a strong path, but releasing K1
		// first takes K2 again under K0 alone: K0 -(EN)-> K2 is.
		{"reacquire", []diffOp{acq(0, E), acq(2, R), acq(4, E), rel(2), rel(4), rel(0),
			acq(4, E), acq(0, E), rel(0), rel(4)}, []lockdep.Kind{lockdep.Circular}},
		{"no reacquire", []diffOp{acq(0, E), acq(2, R), acq(4, E), rel(4), rel(2), rel(0),
			acq(4, E), acq(0, E), rel(0), rel(4)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := &refModel{edges: map[[2]int]uint8{}, held: make([][]refHeld, 1)}
			var kinds []lockdep.Kind
			for _, o := range c.ops {
				for _, d := range m.step(o) {
					kinds = append(kinds, d.kind)
				}
			}
			if !slices.Equal(kinds, c.want) {
				t.Errorf("reference finds %v, want %v", kinds, c.want)
			}
			p := &diffProgram{seed: 0, nKeys: 3, nCtx: 1, ops: c.ops}
			if msg := runDifferential(p, false); msg != "" {
				t.Errorf("validator disagrees: %s", msg)
			}
		})
	}
}

// TestCycleAfterReportedCycle is the smallest program on which the
// no-chain-cache comparison fails: a dependency refused because it closed
// one cycle must still be checked the next time it is made, when it closes
// another (a different set of classes is a different problem).
func TestCycleAfterReportedCycle(t *testing.T) {
	t.Parallel() // a private validator: nothing shared with other tests
	v, rs := recorder()
	var ka, kb, kc lockdep.Key
	a, b, c := v.NewMap("A", &ka), v.NewMap("B", &kb), v.NewMap("C", &kc)
	pair := func(x, y *lockdep.Map) {
		x.Acquire(0, lockdep.Exclusive)
		y.Acquire(0, lockdep.Exclusive)
		y.Release()
		x.Release()
	}
	pair(a, b)
	pair(b, c)
	pair(c, a) // closes A -> B -> C -> A: reported, C -> A not added
	pair(a, c) // A -> C: no cycle, since C -> A was refused
	pair(c, a) // closes A -> C -> A
	var got [][]string
	for _, r := range *rs {
		cs := slices.Clone(r.Classes)
		sort.Strings(cs)
		got = append(got, cs)
	}
	want := [][]string{{"A", "B", "C"}, {"A", "C"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("cycles reported %v, want %v", got, want)
	}
}
