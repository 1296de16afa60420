package rewrite

import (
	"go/ast"
	"go/types"
)

// IgnoreDirective on a lock's declaration (a struct field, embedded or
// named, or a var declaration, package-level or local, whose type is
// sync.Mutex or sync.RWMutex, or slices, arrays, maps of or pointers to
// them: the locks new(sync.Mutex) stores there) leaves it package sync's:
// not validated, and no warning, since the code asked. So does it on a
// sync.WaitGroup, sync.Once or sync.Cond declared by value (or slices,
// arrays, maps of them): its waits are not instrumented.
//
// It is for what belongs to the validator's side of a program rather than
// to the code under test: a test harness's lock that is taken inside the
// function given to lockdep.SetHandler, or held while the harness
// inspects the validator (lockdep.AllHeldLocks), would otherwise run the
// validator inside its own report, or be found among the held locks; a
// Cond that implements a primitive the code annotates by hand with a
// lockdep.Map of its own (a counter of I/O in flight waited for as a
// pseudo-lock) would be validated twice, the second time in one site class
// for every instance. The address of a lock left alone must not be passed
// where the rewrite makes the type *locks.Mutex (a *sync.Mutex
// parameter): the build would fail on the type.

// lockIgnores records which of vars, declared by at with IgnoreDirective,
// are locks to leave alone.
func (a *analyzer) lockIgnores(vars []*types.Var, at ast.Node) {
	for _, v := range vars {
		if !reachesLock(v.Type()) && !waitByValue(v.Type()) {
			continue
		}
		if k := a.key(v); k != "" {
			a.facts.Unchecked = append(a.facts.Unchecked, Mark{Key: k, Reason: IgnoreDirective, At: a.at(at.Pos())})
		}
	}
}

// reachesLock reports whether t is a sync lock, or an unnamed slice,
// array, map or pointer type whose elements are, directly or through more
// of them.
func reachesLock(t types.Type) bool {
	switch u := types.Unalias(t).(type) {
	case *types.Pointer:
		return reachesLock(u.Elem())
	case *types.Slice:
		return reachesLock(u.Elem())
	case *types.Array:
		return reachesLock(u.Elem())
	case *types.Map:
		return reachesLock(u.Elem())
	}
	return isLock(t)
}

// waitByValue reports whether t is sync.WaitGroup, sync.Once or sync.Cond,
// or an unnamed slice, array or map type whose elements are, by value.
func waitByValue(t types.Type) bool {
	switch u := types.Unalias(t).(type) {
	case *types.Slice:
		return waitByValue(u.Elem())
	case *types.Array:
		return waitByValue(u.Elem())
	case *types.Map:
		return waitByValue(u.Elem())
	case *types.Named:
		o := u.Obj()
		return o.Pkg() != nil && o.Pkg().Path() == "sync" && waitKinds[o.Name()]
	}
	return false
}
