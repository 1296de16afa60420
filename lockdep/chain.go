package lockdep

import (
	"sync/atomic"

	"github.com/golockdep/lockdep/internal/plumbing"
)

// The lock-chain cache. Every held lock carries the hash of the chain of
// classes (and modes) held up to and including it. A chain that has been
// validated once cannot produce a new dependency, so the acquire fast path
// looks the hash up here and, on a hit, does nothing else: no lock, no
// allocation, no stack. The table is open-addressed with linear probing;
// readers load slots atomically, and the only writer is the slow path under
// the validator's graph lock. Zero marks an empty slot (hashes are never 0).

type chainTable struct {
	mask       uint64
	slots      []atomic.Uint64
	tombstones int // written under the graph lock
}

func newChainTable(maxChains int) *chainTable {
	n := 1
	for n < 2*maxChains {
		n <<= 1
	}
	return &chainTable{mask: uint64(n - 1), slots: make([]atomic.Uint64, n)}
}

// tombstone marks a removed chain: a probe goes on past it.
const tombstone = 1

func (ct *chainTable) contains(key uint64) bool {
	for i := key & ct.mask; ; i = (i + 1) & ct.mask {
		switch ct.slots[i].Load() {
		case key:
			return true
		case 0:
			return false
		}
	}
}

// insertLocked adds key; the caller holds the graph lock and has checked
// the chain limit, so the table is at most half full.
func (ct *chainTable) insertLocked(key uint64) {
	for i := key & ct.mask; ; i = (i + 1) & ct.mask {
		switch ct.slots[i].Load() {
		case key:
			return
		case 0:
			ct.slots[i].Store(key)
			return
		}
	}
}

// fibHash spreads integers over the high bits, which every table in this
// package indexes by (see plumbing.FibHash).
const fibHash = plumbing.FibHash

// removeLocked replaces key with a tombstone; the caller holds the graph
// lock. Tombstones are not reused: forgetChainsLocked rebuilds the table
// when they would fill it.
func (ct *chainTable) removeLocked(key uint64) bool {
	for i := key & ct.mask; ; i = (i + 1) & ct.mask {
		switch ct.slots[i].Load() {
		case key:
			ct.slots[i].Store(tombstone)
			ct.tombstones++
			return true
		case 0:
			return false
		}
	}
}

// chainHash extends the hash of a chain by one held lock.
func chainHash(prev uint64, classID uint32, mode Mode, try bool) uint64 {
	x := uint64(classID)<<3 | uint64(mode)<<1
	if try {
		x |= 1
	}
	h := (prev ^ x) * fibHash
	h ^= h >> 31
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 29
	if h <= tombstone {
		h += 2 // 0 is an empty slot, 1 a removed chain
	}
	return h
}

// chainInfo is what the slow path records about a validated chain, for the
// /proc/lockdep_chains view.
type chainInfo struct {
	classes []*class
	modes   []Mode
}
