package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// A range loop over a channel becomes a loop of receives, on its lines:
//
//	for x := range ch {      for c := ch; ; { x, ok := chanop.Recv2[K](c); if !ok { break }; {
//		...                      ...
//	}                        }}
//
// The channel is evaluated once, x is a new variable in each iteration
// (as in Go 1.22; under an older go line a closure that captured x saw
// one shared variable),
// the loop keeps its label, and break and continue mean what they meant
// (the body is a block of its own, so it may declare x again). x = range
// ch (an assignment) assigns x after each receive; it is rewritten only
// if x is a plain variable, field or element.
//
// A select statement keeps its cases; a call goes just before it (before
// its label, if it has one):
//
//	chanop.Select(blocking, chanop.RecvCase[K1](in), chanop.SendCase[K2](out)); select { ... }
//
// blocking is false if the select has a default case or a case on a
// channel the runtime completes (a timer, a context's Done: chanops.go),
// which then ends the wait whatever the locks do; such a case is not
// passed. The channel expressions are evaluated a second time by the
// call, so they must be plain variables, fields, elements or
// dereferences, written on one line: a select with any other case
// channel (a call, a receive) is left alone, not instrumented, as if it
// did not block.

func (a *analyzer) rangeChan(r *ast.RangeStmt, stack []ast.Node) {
	if a.chanOf(r.X) == nil {
		return
	}
	sfx := strconv.Itoa(a.off(r.For))
	c, ok, v := "lockdep_c"+sfx, "lockdep_ok"+sfx, "lockdep_v"+sfx
	recv := chanopPkg + "Recv2[" + placeholder(0) + "](" + c + ")"
	var from token.Pos
	var head string
	switch {
	case r.Key == nil:
		from = r.Range
		head = "if _, " + ok + " := " + recv + "; !" + ok + " { break }; "
	case r.Tok == token.DEFINE:
		from = r.Key.Pos()
		head = a.text(r.Key) + ", " + ok + " := " + recv + "; if !" + ok + " { break }; "
	default:
		if !a.pure(r.Key) || !oneLine(a.text(r.Key)) {
			return
		}
		from = r.Key.Pos()
		head = v + ", " + ok + " := " + recv + "; if !" + ok + " { break }; " + a.text(r.Key) + " = " + v + "; "
	}
	lb, rb := a.off(r.Body.Lbrace), a.off(r.Body.Rbrace)
	a.addChanOp(r.Pos(), []ClassRef{a.chanClass(r.X, stack)},
		Edit{a.off(from), a.off(r.X.Pos()), c + " := "},
		Edit{lb, lb + 1, "; ; { " + head + "{"},
		Edit{rb, rb + 1, "}}"})
}

func (a *analyzer) selectStmt(s *ast.SelectStmt, stack []ast.Node) {
	blocking, timed, skip := true, false, false
	var cases []string
	var classes []ClassRef
	for _, st := range s.Body.List {
		cc, ok := st.(*ast.CommClause)
		if !ok {
			continue
		}
		var ch ast.Expr
		send := false
		switch comm := cc.Comm.(type) {
		case nil:
			blocking = false
			continue
		case *ast.SendStmt:
			a.ch.comm[comm] = true
			ch, send = comm.Chan, true
		case *ast.ExprStmt:
			ch = a.commRecv(comm.X)
		case *ast.AssignStmt:
			if len(comm.Rhs) == 1 {
				ch = a.commRecv(comm.Rhs[0])
			}
		}
		switch {
		case ch == nil:
			skip = true
		case a.runtimeChan(ch):
			timed = true
		case a.chanOf(ch) == nil || !a.pure(ch) || !oneLine(a.text(ch)):
			skip = true
		default:
			fn := "RecvCase"
			if send {
				fn = "SendCase"
			}
			cases = append(cases, chanopPkg+fn+"["+placeholder(len(classes))+"]("+a.text(ch)+")")
			classes = append(classes, a.chanClass(ch, stack))
		}
	}
	if skip || len(cases) == 0 {
		return
	}
	// The call goes before the select's labels, so that they still
	// label the select.
	var start ast.Node = s
	for i := len(stack) - 1; i >= 0; i-- {
		l, ok := stack[i].(*ast.LabeledStmt)
		if !ok || l.Stmt != start {
			break
		}
		start = l
	}
	at := a.off(start.Pos())
	call := chanopPkg + "Select(" + strconv.FormatBool(blocking && !timed) + ", "
	if timed && blocking {
		// No default case: the goroutine parks, though not in a wait.
		call = chanopPkg + "SelectTimed("
	}
	a.addChanOp(s.Pos(), classes, Edit{at, at, call + strings.Join(cases, ", ") + "); "})
}

// commRecv marks the receive of a select case and returns its channel.
func (a *analyzer) commRecv(e ast.Expr) ast.Expr {
	u, ok := unparen(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return nil
	}
	a.ch.comm[u] = true
	return u.X
}

// pure reports whether evaluating e twice is evaluating it once: a
// variable, a field, an element, a dereference, a constant.
func (a *analyzer) pure(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return a.pure(e.X)
	case *ast.StarExpr:
		return a.pure(e.X)
	case *ast.SelectorExpr:
		if sel := a.info.Selections[e]; sel != nil {
			return sel.Kind() == types.FieldVal && a.pure(e.X)
		}
		_, ok := a.info.Uses[e.Sel].(*types.Var)
		return ok
	case *ast.IndexExpr:
		if _, ok := a.info.TypeOf(e.X).(*types.Signature); ok {
			return false
		}
		return a.pure(e.X) && a.pure(e.Index)
	}
	return false
}

// oneLine reports whether source text copied elsewhere keeps the lines
// where they are: no line break, no comment.
func oneLine(src string) bool {
	return !strings.Contains(src, "\n") && !strings.Contains(src, "//") && !strings.Contains(src, "/*")
}

// text returns the source of e.
func (a *analyzer) text(e ast.Expr) string {
	return string(a.src[a.off(e.Pos()):a.off(e.End())])
}

// typeText writes t as the current file can name it, or reports that it
// cannot: a type of a package the file does not import, an unexported or
// local type of another package, a struct or function type.
func (a *analyzer) typeText(t types.Type) (string, bool) {
	if !a.nameable(t, 0) {
		return "", false
	}
	return types.TypeString(t, func(p *types.Package) string {
		if p == a.tpkg {
			return ""
		}
		return a.imports[p.Path()]
	}), true
}

func (a *analyzer) nameable(t types.Type, depth int) bool {
	if depth > 8 {
		return false
	}
	switch t := t.(type) {
	case *types.Basic:
		return t.Kind() != types.UnsafePointer && t.Info()&types.IsUntyped == 0
	case *types.Named:
		if !a.nameableObj(t.Obj()) {
			return false
		}
		for i := 0; i < t.TypeArgs().Len(); i++ {
			if !a.nameable(t.TypeArgs().At(i), depth+1) {
				return false
			}
		}
		return true
	case *types.Alias:
		return a.nameableObj(t.Obj()) && a.nameable(types.Unalias(t), depth+1)
	case *types.Pointer:
		return a.nameable(t.Elem(), depth+1)
	case *types.Slice:
		return a.nameable(t.Elem(), depth+1)
	case *types.Array:
		return a.nameable(t.Elem(), depth+1)
	case *types.Chan:
		return a.nameable(t.Elem(), depth+1)
	case *types.Map:
		return a.nameable(t.Key(), depth+1) && a.nameable(t.Elem(), depth+1)
	case *types.Interface:
		return t.Empty()
	case *types.TypeParam:
		return true
	}
	return false
}

func (a *analyzer) nameableObj(obj *types.TypeName) bool {
	p := obj.Pkg()
	if p == nil {
		return true // a predeclared type: error, comparable
	}
	if obj.Parent() != p.Scope() {
		return false // local to a function
	}
	if p == a.tpkg {
		return true
	}
	name, ok := a.imports[p.Path()]
	return ok && obj.Exported() && name != "_"
}
