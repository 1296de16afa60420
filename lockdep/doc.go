// Package lockdep is a runtime lock-ordering validator for Go, built the way
// Linux lockdep is built.
//
// # Model
//
// Every lock belongs to a class. A class is a Key (the address of a
// lockdep.Key variable) and a subclass 0..7; a lock created without a key
// has a class of its own. Locks of one class are interchangeable to the
// validator: what it learns from one instance applies to all, which is why
// it finds deadlocks that did not happen in the run it watched.
//
// Each goroutine has a stack of held locks, with the mode each is held in:
// Exclusive, Shared (a non-recursive reader, like down_read) or
// RecursiveRead (like read_lock on the kernel's rwlock_t). When a goroutine
// blocks on a lock of class B while holding one of class A, the validator
// records the dependency A -> B, typed by the kernel's four read/write
// kinds (-(EN)->, -(ER)->, -(SN)->, -(SR)->), with the stack that created
// it. A new dependency that closes a cycle in the class graph is reported
// if the cycle is strong (a real deadlock: no step enters a class as a
// recursive reader and the next step leaves it as a reader); the report
// shows the new dependency, the existing chain, and each link's stack.
//
// Other checks: a class taken again while held (Recursive), an unlock of a
// lock the goroutine does not hold (BadUnlock), a goroutine that ended
// holding locks (HeldAtExit), out-of-range subclasses, too-deep nesting,
// nest-lock annotations without their outer lock, failed lock assertions,
// and, beyond the kernel, an instance order per key (SetInstanceOrder):
// two instances of one key nested against the order are an OrderViolation,
// which subclass annotations alone cannot see.
//
// # Cost
//
// The held locks are hashed into a chain key as they are taken; a chain
// validated once is never validated again. The common path is therefore a
// goroutine-id read, a slot lookup in a lock-free table, a hash, and a
// lookup in a lock-free chain cache: no lock, no allocation, no stack.
// Stacks are captured only when a new dependency is recorded. Everything
// the validator keeps is bounded (Options); on overflow it reports once and
// stops validating. Build with -tags lockdep_off to compile it all out.
//
// # Lock order inside this package
//
// The fast path takes no lock. On the slow path, Validator.mu (the graph
// lock) is taken first and reports are handed to the handler only after it
// is released, so a handler may itself take validated locks. Inside it,
// only leaves: internalMu (the packages left out of stacks, read while
// rendering frames). The other locks are leaves taken without mu: the task
// table's reclaimMu (only when a goroutine's window of eight slots is full,
// to reclaim the slots of exited goroutines), a class side's pointsMu
// (contention points, with statistics on) and flusherMu. Package lockdep
// never imports cache, fsimpl or reports (checked by TestLayering).
package lockdep
