package lockdep

// The package-level API on the default validator (std): each function is
// the method of the same name, for programs and tests that use one
// validator. The rest of the package-level functions sit with their
// methods (keys.go, exited.go, lockstat.go, snapshot.go, flush.go,
// hold.go, map.go, event.go, chan.go).

// SetHandler routes every report of the default validator to h; see
// Validator.SetHandler.
func SetHandler(h func(*Report)) (restore func()) { return std.SetHandler(h) }

// Reset resets the default validator; see Validator.Reset.
func Reset() { std.Reset() }

// Reports returns the default validator's most recent reports.
func Reports() []*Report { return std.Reports() }

// ReportCount returns how many reports the default validator has made.
func ReportCount() int64 { return std.ReportCount() }

// HeldLocks returns the locks the calling goroutine holds, outermost
// first; see Validator.HeldLocks.
func HeldLocks() []LockRef { return std.HeldLocks() }

// AllHeldLocks returns the locks every goroutine holds (the kernel's "show
// all locks"); see Validator.AllHeldLocks.
func AllHeldLocks() []GoroutineLocks { return std.AllHeldLocks() }

// SetRules sets the default validator's rules and returns the old ones;
// see Validator.SetRules.
func SetRules(r Rules) Rules { return std.SetRules(r) }

// ReadStats returns the default validator's counters: cheap, no snapshot
// (see TakeSnapshot for the graph itself).
func ReadStats() Stats { return std.Stats() }
