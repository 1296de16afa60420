package rewrite

import (
	"go/ast"
	"go/types"
)

// foreign records a use of another package's function, variable or field
// whose type mentions a sync lock.
func (a *analyzer) foreign(id *ast.Ident) {
	obj := a.info.Uses[id]
	switch obj.(type) {
	case *types.Var, *types.Func:
	default:
		return
	}
	pkg := obj.Pkg()
	if pkg == nil || pkg.Path() == a.p.Path || pkg.Path() == "sync" || !mentionsLock(obj.Type(), 0) {
		return
	}
	a.facts.Foreign = append(a.facts.Foreign, ForeignUse{Pkg: pkg.Path(), Name: obj.Name(), At: a.at(id.Pos())})
}

// mentionsLock reports whether t has a sync type the rewrite replaces in
// it (Mutex, RWMutex, WaitGroup, Once, Cond), by
// value or through pointers, slices, maps, channels, unnamed structs and
// signatures (not through other named types).
func mentionsLock(t types.Type, depth int) bool {
	if depth > 8 {
		return false
	}
	if isLock(t) {
		return true
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && waitKinds[n.Obj().Name()] {
		return true
	}
	switch u := types.Unalias(t).(type) {
	case *types.Pointer:
		return mentionsLock(u.Elem(), depth+1)
	case *types.Slice:
		return mentionsLock(u.Elem(), depth+1)
	case *types.Array:
		return mentionsLock(u.Elem(), depth+1)
	case *types.Map:
		return mentionsLock(u.Key(), depth+1) || mentionsLock(u.Elem(), depth+1)
	case *types.Chan:
		return mentionsLock(u.Elem(), depth+1)
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if mentionsLock(u.Field(i).Type(), depth+1) {
				return true
			}
		}
	case *types.Signature:
		for _, tup := range []*types.Tuple{u.Params(), u.Results()} {
			for i := 0; i < tup.Len(); i++ {
				if mentionsLock(tup.At(i).Type(), depth+1) {
					return true
				}
			}
		}
	}
	return false
}
