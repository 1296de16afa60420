package lockdep

import "github.com/golockdep/lockdep/internal/plumbing"

// The calls only this module's packages make (package locks, for zero-value
// and declared locks, contended waits, unlocks by goroutines that do not
// hold the lock) go through internal/plumbing, so that the exported API is
// what users call.
func init() {
	plumbing.Set(&plumbing.Hooks[*Validator, *Map, *Event, *Chan, Mode]{
		Default:        func() *Validator { return std },
		NewSiteMap:     func(kind string) *Map { return std.newSiteMap(kind) },
		NewDeclaredMap: func(name, kind string) *Map { return std.newDeclaredMap(name, kind) },
		NewSiteEvent:   newSiteEvent,
		DeclaredChan:   declaredChan,

		AcquireNest: (*Map).acquireNest,
		Wait:        (*Map).wait,
		Granted:     (*Map).granted,

		ReleaseForeign:   (*Map).releaseForeign,
		ReleaseUnlocked:  (*Map).releaseUnlocked,
		ReleaseNonOwner:  (*Map).releaseNonOwner,
		WriteHeldByOther: (*Map).writeHeldByOther,
		Downgrade:        (*Map).downgrade,
	})
}
