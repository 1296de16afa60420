package lockdep

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Learned instance orders, for site classes (site.go). When a goroutine
// holding instance a of a site class takes instance b of the same class,
// the pair (a, b) is recorded with the dependency types and the stack of
// its first nesting. Seeing the pair the other way round, with types that
// make the two-step cycle a real deadlock (the kernel's strong-path rule),
// is a Circular report naming both instances, with both stacks: a latent
// ABBA between two objects of one type, found even when the two nestings
// happened at different times in different goroutines. Nesting instances
// of one class in one consistent order (parent then child, accounts by id)
// is never reported.
//
// Costs and bounds: the pairs live in sharded maps (a read lock on the
// common path of a pair seen before) and number at most
// Options.MaxInstancePairs; beyond that new pairs are not learned (counted
// in Stats.PairsDropped) and validation otherwise goes on. An instance gets
// an id, and a runtime cleanup, the first time it is nested with another
// of its class; when the lock is garbage-collected its pairs are deleted,
// so the memory follows the locks that are alive.

const pairShards = 64

// pairStackDepth bounds the frames kept for a pair's first nesting: a pair
// is learned once per pair of objects, so its stack is the per-object cost.
const pairStackDepth = 12

type pairKey struct{ lo, hi uint64 }

type pairRec struct {
	types [2]depTypes // [0]: lo held, then hi taken; [1]: hi held, then lo taken
	stack [2][]uintptr
	tok   [2]*holdToken // the provisional hold that taught each direction (hold.go)
}

// pairRef names one direction of a learned pair, for its hold's token.
type pairRef struct {
	k   pairKey
	dir int
}

type pairTable struct {
	n       atomic.Int64
	dropped atomic.Uint64
	shards  [pairShards]struct {
		mu sync.RWMutex
		m  map[pairKey]*pairRec
		_  [40]byte
	}
	// partners indexes the pairs by instance, for deleting them when the
	// instance is collected.
	partners [pairShards]struct {
		mu sync.Mutex
		m  map[uint64]map[uint64]struct{}
		_  [48]byte
	}
}

func (k pairKey) shard() int { return int((k.lo*fibHash ^ k.hi) >> 58) }

func idShard(id uint64) int { return int((id * fibHash) >> 58) }

// instanceID returns m's id for learned orders, giving it one (and a
// cleanup that forgets its pairs) on first use.
func (m *Map) instanceID(v *Validator) uint64 {
	if id := m.id.Load(); id != 0 {
		return id
	}
	id := instanceSeq.Add(1)
	if !m.id.CompareAndSwap(0, id) {
		return m.id.Load()
	}
	onCollect(m, v.pairs.forget, id)
	return id
}

// learnOrder records the nesting of held[idx] under every held instance of
// its site class, and reports a pair nested both ways.
func (v *Validator) learnOrder(t *task, idx int) {
	next := &t.held[idx]
	for i := idx - 1; i >= 0; i-- {
		h := &t.held[i]
		if h.try || h.class.ki != next.class.ki || h.m == next.m || h.gone() {
			continue
		}
		if next.mode == RecursiveRead && h.mode.reader() {
			continue
		}
		if r := v.pairs.learn(v, t, i, idx); r != nil {
			v.reportOn(t, r, i)
		}
	}
}

func (p *pairTable) learn(v *Validator, t *task, i, idx int) *Report {
	h, next := &t.held[i], &t.held[idx]
	a, b := h.m.instanceID(v), next.m.instanceID(v)
	k, dir := pairKey{a, b}, 0
	if a > b {
		k, dir = pairKey{b, a}, 1
	}
	typ := depType(h.mode, next.mode)
	sh := &p.shards[k.shard()]
	sh.mu.RLock()
	rec := sh.m[k]
	known := rec != nil && rec.types[dir]&typ != 0
	sh.mu.RUnlock()
	if known {
		return nil
	}
	stack := captureStack(min(v.opts.StackDepth, pairStackDepth), 4)
	var tk *holdToken
	if v.provisional() {
		tk = v.tokenFor(t, i)
	}
	sh.mu.Lock()
	rec = sh.m[k]
	fresh := rec == nil
	if fresh {
		if p.n.Load() >= int64(v.opts.MaxInstancePairs) {
			sh.mu.Unlock()
			p.dropped.Add(1)
			return nil
		}
		if sh.m == nil {
			sh.m = make(map[pairKey]*pairRec)
		}
		rec = &pairRec{}
		sh.m[k] = rec
		p.n.Add(1)
	}
	if rec.types[dir]&typ != 0 {
		sh.mu.Unlock()
		return nil
	}
	newDir := rec.types[dir] == 0
	if newDir {
		rec.stack[dir] = stack
		rec.tok[dir] = tk
	}
	rec.types[dir] |= typ
	back, backStack, backTok := rec.types[1-dir], rec.stack[1-dir], rec.tok[1-dir]
	sh.mu.Unlock()
	if fresh {
		p.link(a, b)
		p.link(b, a)
	}
	if newDir && tk != nil {
		v.mu.Lock()
		tk.pairs = append(tk.pairs, pairRef{k, dir})
		v.mu.Unlock()
	}
	if back == 0 || !strongPair(typ, back) {
		return nil
	}
	r := v.inversionReport(t, i, idx, typ, back, stack, backStack)
	if backTok != nil {
		v.reportOnWith(t, r, i, backTok)
		return nil
	}
	return r
}

// endPair settles one direction of a pair taught by a hold that ended:
// kept (confirmed) or forgotten (retracted). The caller holds the graph
// lock; the shard lock nests inside it.
func (p *pairTable) endPair(ref pairRef, tk *holdToken, confirmed bool) {
	sh := &p.shards[ref.k.shard()]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	rec := sh.m[ref.k]
	if rec == nil || rec.tok[ref.dir] != tk {
		return
	}
	rec.tok[ref.dir] = nil
	if confirmed {
		return
	}
	rec.types[ref.dir], rec.stack[ref.dir] = 0, nil
	if rec.types[1-ref.dir] == 0 {
		delete(sh.m, ref.k)
		p.n.Add(-1)
	}
}

// strongPair reports whether the two-step cycle a -fwd-> b -back-> a can
// deadlock: some type of each step such that no instance is entered as a
// recursive reader and left as a shared holder.
func strongPair(fwd, back depTypes) bool {
	for _, f := range allDepTypes {
		if fwd&f == 0 {
			continue
		}
		for _, g := range allDepTypes {
			if back&g == 0 {
				continue
			}
			if !(f.ToRecursive() && g.FromShared()) && !(g.ToRecursive() && f.FromShared()) {
				return true
			}
		}
	}
	return false
}

var allDepTypes = [...]depTypes{depEN, depER, depSN, depSR}

func (p *pairTable) link(a, b uint64) {
	ps := &p.partners[idShard(a)]
	ps.mu.Lock()
	if ps.m == nil {
		ps.m = make(map[uint64]map[uint64]struct{})
	}
	set := ps.m[a]
	if set == nil {
		set = make(map[uint64]struct{})
		ps.m[a] = set
	}
	set[b] = struct{}{}
	ps.mu.Unlock()
}

// forget deletes the pairs of an instance that was garbage-collected. It
// runs on the runtime's cleanup goroutine.
func (p *pairTable) forget(id uint64) {
	ps := &p.partners[idShard(id)]
	ps.mu.Lock()
	set := ps.m[id]
	delete(ps.m, id)
	ps.mu.Unlock()
	for other := range set {
		k := pairKey{id, other}
		if other < id {
			k = pairKey{other, id}
		}
		sh := &p.shards[k.shard()]
		sh.mu.Lock()
		if _, ok := sh.m[k]; ok {
			delete(sh.m, k)
			p.n.Add(-1)
		}
		sh.mu.Unlock()
		os := &p.partners[idShard(other)]
		os.mu.Lock()
		delete(os.m[other], id)
		if len(os.m[other]) == 0 {
			delete(os.m, other)
		}
		os.mu.Unlock()
	}
}

// reset forgets every pair (Validator.Reset).
func (p *pairTable) reset() {
	for i := range p.shards {
		sh := &p.shards[i]
		sh.mu.Lock()
		sh.m = nil
		sh.mu.Unlock()
		ps := &p.partners[i]
		ps.mu.Lock()
		ps.m = nil
		ps.mu.Unlock()
	}
	p.n.Store(0)
	p.dropped.Store(0)
}

func (v *Validator) inversionReport(t *task, i, idx int, fwd, back depTypes, stack, backStack []uintptr) *Report {
	r := &Report{Kind: Circular, Goroutine: t.goid, HeldLocks: heldRefsN(t, idx)}
	r.Stack = stackFrames(stack, v.opts.StackDepth)
	held, next := refOf(&t.held[i]), refOf(&t.held[idx])
	r.Lock, r.Held = &next, &held
	r.Classes = []string{next.Class, held.Class}
	r.Chain = []Link{{From: next.Class, To: held.Class, Types: back.String(), Stack: stackFrames(backStack, v.opts.StackDepth)}}
	r.New = &Link{From: held.Class, To: next.Class, Types: fwd.String(), Stack: r.Stack}
	r.Message = fmt.Sprintf("instances %s and %s of class %s were nested in both orders: "+
		"two goroutines taking them the two ways can deadlock (the first stack is the earlier nesting, "+
		"%s inside %s)", t.held[i].m, t.held[idx].m, t.held[idx].class.name, t.held[i].m, t.held[idx].m)
	return r
}
