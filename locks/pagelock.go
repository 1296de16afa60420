package locks

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/golockdep/lockdep/internal/plumbing"
	"github.com/golockdep/lockdep/lockdep"
)

// PageLock is a bit lock in a page's flags word, like the kernel's
// PG_locked: bit 0 of Flags is the lock, bit 1 says someone waits, and the
// other bits are the page's own (uptodate, dirty, writeback...), for the
// owner to use with SetFlag, ClearFlag and TestFlag. Waiters sleep on a
// hashed table of wait queues shared by all pages, as lock_page does, so a
// page costs one word plus its lockdep link. Give all pages of one kind of
// mapping the same key: they then share a class, as the kernel's pages do.
//
// A PageLock must not be copied after first use.
type PageLock struct {
	_     noCopy
	dep   depMap[pageKind] // first: empty in the off build, and no padding then
	flags atomic.Uint64
}

const (
	pageLockedBit  = 1 << 0
	pageWaitersBit = 1 << 1
	// FirstFreeFlag is the lowest flag bit free for the page's own use.
	FirstFreeFlag = 2
)

// NewPageLock returns a page lock named name in the class of key (a class
// of its own if key is nil). Pages usually sit in arrays and are set up
// with Init instead.
func NewPageLock(name string, key *lockdep.Key) *PageLock {
	p := &PageLock{}
	p.Init(name, key)
	return p
}

// Init names the page lock and sets its class.
func (p *PageLock) Init(name string, key *lockdep.Key) { p.dep.init(nil, name, key) }

// InitIn is Init for a lock validated by v instead of the default validator, for
// programs and tests that keep several validators apart.
func (p *PageLock) InitIn(v *lockdep.Validator, name string, key *lockdep.Key) {
	p.dep.init(v, name, key)
}

// Lock locks the page, waiting if another goroutine holds it (lock_page).
func (p *PageLock) Lock() {
	p.LockNested(0)
}

// LockNested locks the page with a nesting subclass, for code that holds
// two pages of one class at once (the pages of a dedupe compare, say).
func (p *PageLock) LockNested(sub int) {
	if lockdep.Enabled {
		p.dep.acquire(sub, lockdep.Exclusive, nil)
		if !p.tryLockBit() {
			p.dep.contended(lockdep.Exclusive, p.waitLock)
		}
		return
	}
	if !p.tryLockBit() {
		slow(p.waitLock)
	}
}

// waitLock sleeps on the page's wait queue until the lock bit is free.
func (p *PageLock) waitLock() {
	q := pageQueue(p)
	q.mu.Lock()
	for {
		old := p.flags.Load()
		if old&pageLockedBit == 0 {
			if p.flags.CompareAndSwap(old, old|pageLockedBit) {
				break
			}
			continue
		}
		if old&pageWaitersBit == 0 && !p.flags.CompareAndSwap(old, old|pageWaitersBit) {
			continue
		}
		if q.cond.L == nil { // set once, under q.mu: see pageQueues
			q.cond.L = &q.mu
		}
		q.cond.Wait()
	}
	q.mu.Unlock()
}

// TryLock locks the page if it is unlocked (trylock_page).
func (p *PageLock) TryLock() bool { return p.dep.tried(p.tryLockBit(), lockdep.Exclusive) }

func (p *PageLock) tryLockBit() bool {
	for {
		old := p.flags.Load()
		if old&pageLockedBit != 0 {
			return false
		}
		if p.flags.CompareAndSwap(old, old|pageLockedBit) {
			return true
		}
	}
}

// Unlock unlocks the page and wakes its waiters (unlock_page). An unlock by
// a goroutine that did not lock it is reported; an unlocked page is left
// alone.
func (p *PageLock) Unlock() {
	if lockdep.Enabled {
		if p.dep.release() {
			p.unlockBit()
			return
		}
		p.dep.unlockUnheld(lockdep.Exclusive, p.IsLocked, p.unlockBit)
		return
	}
	p.unlockBit()
}

// UnlockNonOwner unlocks a page locked by another goroutine on purpose, as
// when I/O completion unlocks a page that a reader locked.
func (p *PageLock) UnlockNonOwner() {
	if lockdep.Enabled {
		p.dep.unlockNonOwner(lockdep.Exclusive, p.IsLocked, p.unlockBit)
		return
	}
	p.unlockBit()
}

func (p *PageLock) unlockBit() {
	old := p.andFlags(^uint64(pageLockedBit | pageWaitersBit))
	if old&pageWaitersBit != 0 {
		q := pageQueue(p)
		q.mu.Lock()
		q.cond.Broadcast()
		q.mu.Unlock()
	}
}

// andFlags and orFlags are atomic.Uint64's And and Or (Go 1.23), written
// out for older releases; they return the old value.
func (p *PageLock) andFlags(mask uint64) uint64 {
	for {
		old := p.flags.Load()
		if p.flags.CompareAndSwap(old, old&mask) {
			return old
		}
	}
}

func (p *PageLock) orFlags(bits uint64) uint64 {
	for {
		old := p.flags.Load()
		if p.flags.CompareAndSwap(old, old|bits) {
			return old
		}
	}
}

// IsLocked reports whether the page is locked (PageLocked).
func (p *PageLock) IsLocked() bool { return p.flags.Load()&pageLockedBit != 0 }

// SetFlag sets flag bit n (n >= FirstFreeFlag) and returns its old value.
func (p *PageLock) SetFlag(n uint) bool {
	b := uint64(1) << n
	return p.orFlags(b)&b != 0
}

// ClearFlag clears flag bit n and returns its old value.
func (p *PageLock) ClearFlag(n uint) bool {
	b := uint64(1) << n
	return p.andFlags(^b)&b != 0
}

// TestFlag reports flag bit n.
func (p *PageLock) TestFlag(n uint) bool { return p.flags.Load()&(uint64(1)<<n) != 0 }

// LockdepMap returns the validator's view of p, for annotations.
func (p *PageLock) LockdepMap() *lockdep.Map { return p.dep.lockdepMap() }

// AssertHeld reports an AssertFailed unless the caller holds p.
func (p *PageLock) AssertHeld() { p.LockdepMap().AssertHeld() }

// AssertNotHeld reports an AssertFailed if the caller holds p.
func (p *PageLock) AssertNotHeld() { p.LockdepMap().AssertNotHeld() }

type pageWaitQueue struct {
	mu   sync.Mutex
	cond sync.Cond
	_    [32]byte
}

// pageQueues is static, so that a program pays nothing for it at start-up;
// each queue's cond.L is set by the waiter, under the queue's mutex.
var pageQueues [256]pageWaitQueue

func pageQueue(p *PageLock) *pageWaitQueue {
	h := uint64(uintptr(unsafe.Pointer(p))) * plumbing.FibHash
	return &pageQueues[h>>56]
}
