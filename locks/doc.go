// Package locks provides instrumented locks that feed the lockdep
// validator: Mutex, RWSem (rw_semaphore semantics, writer-preferring, with
// downgrade), RWLock (recursive readers, like rwlock_t) and PageLock (a bit
// lock in a page's flags word, waited on through hashed wait queues like
// lock_page).
//
// Each type keeps package sync's shape: the zero value is an unlocked lock
// with a lock class of its own, named after where it was first locked; a
// New function or Init puts it in the class of a lockdep.Key. Locks must
// not be copied after first use (go vet's copylocks check catches it).
// Nesting annotations (LockNested, DownWriteNested, ...) name the subclass
// of a second lock of the same class.
//
// Every acquisition is validated before it blocks. Misuse is reported and
// never crashes the program: unlocking a lock that is not locked at all
// leaves it alone instead of panicking with "unlock of unlocked mutex", and
// unlocking a lock another goroutine holds is reported and then done, as Go
// permits. Deliberate hand-over to another goroutine uses the NonOwner
// methods, which are not reported.
//
// Built with -tags lockdep_off, every type is exactly the lock it wraps and
// every hook compiles away.
//
// Lock order: each type has one internal lock at most (the rw core's and the
// page wait queues' sync.Mutex, both leaves taken only to sleep and wake);
// no type holds an internal lock while calling the validator.
package locks
