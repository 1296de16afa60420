// Package lockdep is a runtime lock-ordering validator for Go, built the way
// Linux lockdep is built.
//
// # Model
//
// Every lock belongs to a class. A class is a Key (the address of a
// lockdep.Key variable) and a subclass 0..7. A lock made without a key
// (the zero value of the types in package locks) takes a site class: the
// class of the code that first locks it, named after the receiver type of
// that method or the function, and the lock type ("store.(*Cache):Mutex";
// see site.go for the policy and what it can and cannot predict). Locks of
// one class are interchangeable to the validator: what it learns from one
// instance applies to all, which is why it finds deadlocks that did not
// happen in the run it watched.
//
// Each goroutine has a stack of held locks, with the mode each is held in:
// Exclusive, Shared (a non-recursive reader, like down_read or
// sync.RWMutex.RLock) or RecursiveRead (like read_lock on the kernel's
// rwlock_t). When a goroutine blocks on a lock of class B while holding one
// of class A, the validator records the dependency A -> B, typed by the
// kernel's four read/write kinds (-(EN)->, -(ER)->, -(SN)->, -(SR)->), with
// the stack that created it. A new dependency that closes a cycle in the
// class graph is reported if the cycle is strong (a real deadlock: no step
// enters a class as a recursive reader and the next step leaves it as a
// reader); the report shows the new dependency, the existing chain, and
// each link's stack.
//
// Two instances of one class nested together are a recursion for a keyed
// class (annotate with a subclass, a nest lock or an instance order), and
// for a site class a pair whose order is learned: the pair nested both ways
// is a Circular report naming both instances (pairs.go).
//
// Rules: by default the validator follows package sync, where any goroutine
// may unlock a locked lock (package locks tells the validator), so a hold may have been handed
// over and what it teaches is provisional until it ends: a report that
// depends on a hold is made when its goroutine releases it, dropped (with
// the dependencies it taught) when another goroutine does, and made anyway
// if the goroutine stays blocked on a lock for half a second (hold.go).
// Options.Rules = KernelRules (LOCKDEP_RULES=kernel) reports a release by
// another goroutine as the kernel does, and every report at once. Other
// checks: a class taken again while held (Recursive), an unlock of a lock
// that is not locked (BadUnlock), a goroutine that ended holding locks
// (HeldAtExit), out-of-range subclasses, too-deep nesting (one report per
// nest), nest-lock annotations without their outer lock, failed lock
// assertions, and instance orders per key (SetInstanceOrder, the kernel's
// lock_set_cmp_fn): two instances of one key nested against the order are
// an OrderViolation, which subclass annotations alone cannot see.
//
// Waits and events (event.go, chan.go): a goroutine that waits for an
// event (a channel operation, WaitGroup.Wait, Cond.Wait) while holding L
// records L -> event, and one that completes an event records event -> L
// for each lock L it took since its last wait or holds; a cycle through an
// event is a WaitCircular report. A wait longer than Options.HangTimeout is
// a Hung report with every goroutine's locks and waits (hang.go), and
// Options.Shuffle perturbs schedules to show more orders (perturb.go).
//
// # Cost
//
// The held locks are hashed into a chain key as they are taken; a chain
// validated once is never validated again. The common path is therefore a
// goroutine-id read, a slot lookup in a lock-free table (plus, when the
// goroutine held nothing before, a plain store of its task's active flag
// and a re-read of its slot's owner word, and one plain store when it
// holds nothing again; the goroutine that evicts an inactive slot pays for
// the memory barrier both sides need, with Linux's membarrier, and where
// that is missing the owner's stores are atomic ones: task.go), a scan of
// the held list for the very same lock (a certain self-deadlock that the
// chain cannot show), a hash, and a lookup in a lock-free chain cache: no lock, no
// allocation, no stack. Stacks are captured only when a new dependency or
// a new pair of instances is recorded. A zero-value lock's first use costs
// a walk of a few stack frames to find its site, cached by return address.
// Everything the validator keeps is bounded (Options, each also settable
// from the environment for the default validator: see EnvOptions); on overflow of the
// graph it reports once and stops validating, and past MaxInstancePairs it
// stops learning new pairs. Per-goroutine state is O(1) per goroutine and
// nothing ever stops the world except CheckExited, which is called
// explicitly. Build with -tags lockdep_off to compile it all out: no
// validator is built and no goroutine started at init.
//
// # Lock order inside this package
//
// The fast path takes no lock. On the slow path, Validator.mu (the graph
// lock) is taken first and reports are handed to the handler only after it
// is released, so a handler may itself take validated locks. Inside it,
// only leaves: internal/plumbing's list of the packages left out of
// stacks (read while rendering frames) and, when a hold ends, a pair
// shard's mu. The other
// locks are taken without mu: a pcSites' mu (a new lock type at a return
// address) with sites.mu (naming a new site) inside it; a pair shard's mu
// and a partners shard's mu (leaves, never two at once); a class side's
// pointsMu (contention points, with statistics on), a leaf;
// a hang-table shard's mu and the hang table's mu (hang.go), leaves, never
// two at once. A Map's site is resolved before the graph lock is taken for
// its class. Package lockdep never imports cache, fsimpl or reports
// (checked by TestLayering).
//
// # API
//
// The exported API is what users call; what only this module's packages
// need (zero-value and declared lock classes, contended waits, unlocks by
// goroutines that do not hold the lock, the uploader, the packages left
// out of stacks) is in internal/plumbing, filled in by this package's init.
//
//   - Validators: New, MustNew, Options (EnvOptions, Rules: GoRules,
//     KernelRules; the DefaultMax... bounds, DefaultStackDepth and
//     DefaultHangTimeout),
//     Validator. The package-level functions act on the default validator,
//     built from the environment: SetHandler, Reset, Reports, ReportCount,
//     HeldLocks, AllHeldLocks (FormatAllHeldLocks, GoroutineLocks),
//     SetRules, ReadStats, TakeSnapshot, CheckExited, FlushPending, Flush
//     (ErrNoFlusher), EnableLockStats, LockStats; each is also a method of
//     Validator, for a private one.
//   - Classes and locks: Key, RegisterKey, UnregisterKey, NewMap and Map
//     (Init, Name, String, Addr; Acquire, AcquireTry and Release for a
//     pseudo-lock; MightLock, SetClass, IsHeld and the Assert methods);
//     Mode (Exclusive, Shared, RecursiveRead), MaxSubclass; instance orders:
//     SetInstanceOrder, OrderByAddress, OrderByValue, Map.SetOrder.
//   - Waits: NewEvent and Event (Wait, EndWait, WaitUnchecked, Complete,
//     Name); NewChan and Chan (Send, Recv, Close, EndWait), Select,
//     SelectTimed, SelectCase.
//   - Reports: Report, Kind (its constants, String, IsCycle, ParseKind),
//     LockRef, Link, Frame.
//   - Graph data: Snapshot, Stats, ClassInfo, EdgeInfo, ChainInfo,
//     LockStat, ContentionPoint; merged graphs: NewMerger, Merger (its
//     searches bounded by MergeSearchBudget, SearchesCut), MergedEdge
//     (MaxEdgeSources).
//   - Enabled: false in the lockdep_off build.
package lockdep
