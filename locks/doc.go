// Package locks provides instrumented locks that feed the lockdep
// validator: Mutex, RWSem (rw_semaphore semantics, writer-preferring, with
// downgrade), RWLock (recursive readers, like rwlock_t) and PageLock (a bit
// lock in a page's flags word, waited on through hashed wait queues like
// lock_page).
//
// Mutex and RWMutex are drop-in replacements for their package sync twins,
// with the same methods and semantics. Every type keeps package sync's
// shape: the zero value is an unlocked lock in the site class of the code
// that first locks it (see package lockdep); a New function or Init puts it
// in the class of a lockdep.Key. Locks must
// not be copied after first use (go vet's copylocks check catches it).
// Nesting annotations (LockNested, DownWriteNested, ...) name the subclass
// of a second lock of the same class.
//
// Every acquisition is validated before it blocks. Misuse never crashes the
// program: unlocking a lock that is not locked at all is reported and
// leaves it alone instead of panicking with "unlock of unlocked mutex";
// unlocking a lock another goroutine holds is done, as Go permits, and
// reported only under the kernel's rules (lockdep.Options.Rules).
// Deliberate hand-over to another goroutine uses the NonOwner methods,
// which are never reported.
//
// Every type has a New function, Init and InitIn, Lock, Unlock and TryLock
// (a sync.Locker), LockdepMap, AssertHeld and AssertNotHeld; the
// reader/writer types add AssertHeldRead and AssertHeldWrite. Where the
// sets differ, the lock they model does: RWMutex has exactly
// sync.RWMutex's lock methods (no nesting annotations, no NonOwner
// methods), and RWLock has no NonOwner methods because rwlock_t has none.
//
// The types are written with one template, depMap (dep_on.go): acquire
// validates every blocking acquisition and contended does every wait,
// tried ends every trylock, release and unlockUnheld are every release and
// its unheld case, unlockNonOwner every hand-over. Each method calls them
// around its own fast path, which stays a direct call. The type's kind is
// depMap's type argument, stored once. RWMutex's unheld releases probe
// package sync's state their own way.
//
// Built with -tags lockdep_off, every type is exactly the lock it wraps and
// every hook compiles away: each method starts with an "if lockdep.Enabled"
// branch to the template and otherwise does the lock's own work directly,
// so that the off build inlines as package sync does.
//
// Lock order: each type has one internal lock at most (the rw core's and the
// page wait queues' sync.Mutex, both leaves taken only to sleep and wake),
// and no type holds it while calling the validator. An unlock by a
// goroutine that does not hold the lock takes one of 64 foreign-unlock
// guards (striped by the lock's address) around the check that the lock
// is locked and the unlock itself, so that two such unlocks at once cannot
// both find it locked; the validator is called under the guard, and takes
// only its own locks.
package locks
