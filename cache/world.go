package cache

import (
	"sync"
	"sync/atomic"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

// World is one run's universe: the block device, the oracle, the pause
// points, and a registry of every validated lock the model created (to
// undo the bookkeeping of an acquisition that was aborted; see Abort).
// Everything a scenario builds hangs off one World, so runs never share
// state.
type World struct {
	Dev    *Device
	Oracle *Oracle
	Sched  *Sched

	// OnAbort runs after an aborted operation has unwound (see
	// AbortOnSelfDeadlock). The validator's chain cache remembers the
	// chain it reported, so the same self-deadlock would not be reported
	// (and so not aborted) again: a runner resets the validator here.
	OnAbort func(*Abort)

	// fsReclaim is the fs_reclaim pseudo-lock (see reclaim.go).
	fsReclaim *lockdep.Map

	aborts  atomic.Int64
	nextIno atomic.Uint64
	regMu   sync.Mutex // leaf
	reg     map[string]*lockdep.Map
}

// Options sizes a World. Zero fields mean the defaults.
type Options struct {
	Blocks int // device size in blocks (default 4096)
}

// NewWorld returns an empty world, (re)names the model's lock classes in
// the default validator and switches it to the kernel's rules.
func NewWorld(o Options) *World {
	if o.Blocks == 0 {
		o.Blocks = 4096
	}
	// The model is the kernel's: only the task that took a lock releases
	// it (except through the NonOwner methods), and a report must come at
	// the acquisition that finds it, so that the operation can be aborted
	// instead of hanging. Go's rules would hold reports until holds end.
	lockdep.SetRules(lockdep.KernelRules)
	w := &World{Oracle: newOracle(), Sched: newSched(), reg: make(map[string]*lockdep.Map)}
	w.Dev = newDevice(w, o.Blocks)
	w.fsReclaim = lockdep.NewMap("fs_reclaim", &fsReclaimKey)
	w.nextIno.Store(100)
	RegisterKeys()
	return w
}

// NextIno hands out inode numbers; file systems may use their own scheme.
func (w *World) NextIno() uint64 { return w.nextIno.Add(1) }

// Track records a lock in the registry.
func (w *World) Track(l locks.Validated) {
	m := l.LockdepMap()
	if m == nil {
		return
	}
	w.regMu.Lock()
	w.reg[m.String()] = m
	w.regMu.Unlock()
}

// trackMap records a pseudo-lock's map in the registry.
func (w *World) trackMap(m *lockdep.Map) {
	if m == nil {
		return
	}
	w.regMu.Lock()
	w.reg[m.String()] = m
	w.regMu.Unlock()
}

// Lookup finds a tracked lock by its instance name (Map.String).
func (w *World) Lookup(instance string) *lockdep.Map {
	w.regMu.Lock()
	defer w.regMu.Unlock()
	return w.reg[instance]
}
