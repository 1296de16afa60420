package rewrite

import (
	"go/ast"
	"go/types"
)

// Parameters. A channel parameter is in the class of the channels its
// callers pass when every call of the function in the rewritten code
// passes channels of one declared class and the function is never used as
// a value (whose callers cannot be seen): go worker(s.jobs) puts worker's
// jobs in the class s.Server.jobs, so that the sends of the caller and the
// receives of the worker meet. Otherwise the parameter is a class of its
// own, pkg.Func.param.

// Flow is a channel argument of a call: Arg is the argument's class, or
// the zero ClassRef if it has none (a make, a call).
type Flow struct {
	Param, Arg ClassRef
}

// funcKey names a function or method for Escapes: its package path and
// name ("Server.run").
func funcKey(fn *types.Func) ClassRef {
	return ClassRef{fn.Pkg().Path(), funcName(fn)}
}

// flows records, for a call of a function of a package, the class of each
// channel argument.
func (a *analyzer) flows(call *ast.CallExpr) {
	fn := a.callee(call)
	if fn == nil || fn.Pkg() == nil || call.Ellipsis.IsValid() {
		return
	}
	fn = fn.Origin()
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() != nil && isInterfaceRecv(sig) {
		return
	}
	params := sig.Params()
	for i, arg := range call.Args {
		if i >= params.Len() || sig.Variadic() && i >= params.Len()-1 {
			break
		}
		p := params.At(i)
		if p.Name() == "" || p.Name() == "_" || !isChan(p.Type()) {
			continue
		}
		f := Flow{Param: ClassRef{fn.Pkg().Path(), funcName(fn) + "." + p.Name()}}
		if c, ok := a.declaredClass(arg); ok {
			f.Arg = c
		}
		a.facts.Flows = append(a.facts.Flows, f)
	}
}

func isInterfaceRecv(sig *types.Signature) bool {
	_, ok := sig.Recv().Type().Underlying().(*types.Interface)
	return ok
}

// escapes records a function or method named other than by calling it
// (f passed as a value, a method value s.run): its callers are unknown.
func (a *analyzer) escapes(id *ast.Ident, stack []ast.Node) {
	fn, ok := a.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil {
		return
	}
	var cur ast.Node = id
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
		case *ast.SelectorExpr:
			if p.Sel != cur {
				return // id is the receiver or package part
			}
		case *ast.IndexExpr: // an instantiation f[T], or f in an index
			if p.X != cur {
				a.facts.Escapes = append(a.facts.Escapes, funcKey(fn.Origin()))
				return
			}
		case *ast.IndexListExpr:
		case *ast.CallExpr:
			if p.Fun == cur {
				return
			}
			a.facts.Escapes = append(a.facts.Escapes, funcKey(fn.Origin()))
			return
		default:
			a.facts.Escapes = append(a.facts.Escapes, funcKey(fn.Origin()))
			return
		}
		cur = stack[i]
	}
}

// paramClasses returns, for each channel parameter whose callers all pass
// one declared class, that class.
func paramClasses(all []*Facts) map[ClassRef]ClassRef {
	escaped := map[ClassRef]bool{}
	for _, f := range all {
		for _, e := range f.Escapes {
			escaped[e] = true
		}
	}
	args := map[ClassRef]map[ClassRef]bool{}
	for _, f := range all {
		for _, fl := range f.Flows {
			if args[fl.Param] == nil {
				args[fl.Param] = map[ClassRef]bool{}
			}
			args[fl.Param][fl.Arg] = true
		}
	}
	out := map[ClassRef]ClassRef{}
	for p, set := range args {
		if len(set) != 1 || escaped[ClassRef{p.Pkg, funcOfParam(p.Name)}] {
			continue
		}
		for c := range set {
			if c.Pkg != "" && c != p {
				out[p] = c
			}
		}
	}
	return out
}

// funcOfParam strips the parameter from "Type.Method.param".
func funcOfParam(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return name[:i]
		}
	}
	return name
}

// resolveParam follows parameters to the class their callers pass, a few
// calls deep (a parameter passed on as an argument).
func resolveParam(c ClassRef, params map[ClassRef]ClassRef) ClassRef {
	for i := 0; i < 8; i++ {
		next, ok := params[c]
		if !ok {
			break
		}
		c = next
	}
	return c
}
