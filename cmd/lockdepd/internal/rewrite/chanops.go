package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
)

// Channel operations become calls of package chanop, which tell the
// validator about the operation and then perform it:
//
//	ch <- v           chanop.Send[K](ch, v)    (Send[K, T] if v's type is not the element type)
//	<-ch              chanop.Recv[K](ch)
//	v, ok := <-ch     v, ok := chanop.Recv2[K](ch)
//	close(ch)         chanop.Close[K](ch)
//
// for range loops and select statements see chanloop.go. Only operands
// whose type is a channel type are rewritten (not a type parameter, not a
// type of the module's own with a Send method). A receive from a channel
// that the runtime completes, time.After(d), time.Tick(d), a Timer's or
// Ticker's C or a context's Done(), is left alone: no lock can hold up
// its completion. Edits only insert text and replace operator tokens, so
// nested operations (ch <- <-in) are rewritten independently.

// ChanOp is one rewritten channel operation: edits whose text names the
// marker type of Classes[i] as the placeholder "\x00Ki\x00".
type ChanOp struct {
	File    string
	Edits   []Edit
	Classes []ClassRef
	Line    int
}

// Edit replaces the bytes Off..End of a file with Text.
type Edit struct {
	Off, End int
	Text     string
}

const chanopPkg = "lockdep_chanop."

// placeholder is the text that stands for the marker type of class i.
func placeholder(i int) string { return "\x00K" + strconv.Itoa(i) + "\x00" }

// chanFile walks a file for its channel operations.
func (a *analyzer) chanFile(f *ast.File) {
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		a.defines(n, stack)
		a.ignores(n)
		switch n := n.(type) {
		case *ast.SendStmt:
			if !a.ch.comm[n] {
				a.send(n, stack)
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !a.ch.comm[n] {
				a.recv(n, stack)
			}
		case *ast.CallExpr:
			if a.builtin(n) == "close" && len(n.Args) == 1 {
				a.close(n, stack)
			}
			a.flows(n)
		case *ast.Ident:
			a.escapes(n, stack)
		case *ast.RangeStmt:
			a.rangeChan(n, stack)
		case *ast.SelectStmt:
			a.selectStmt(n, stack)
		}
		stack = append(stack, n)
		return true
	})
}

func (a *analyzer) addChanOp(pos token.Pos, classes []ClassRef, edits ...Edit) {
	a.facts.Chans = append(a.facts.Chans, ChanOp{File: a.cur.Path, Edits: edits, Classes: classes, Line: a.line(pos)})
}

// chanOf returns the channel type of e, or nil if e is not of a channel
// type.
func (a *analyzer) chanOf(e ast.Expr) *types.Chan {
	t := a.info.TypeOf(e)
	if t == nil {
		return nil
	}
	c, _ := t.Underlying().(*types.Chan)
	return c
}

func (a *analyzer) send(s *ast.SendStmt, stack []ast.Node) {
	c := a.chanOf(s.Chan)
	if c == nil {
		return
	}
	targs := placeholder(0)
	if !a.inferable(a.info.TypeOf(s.Value), c.Elem()) {
		t, ok := a.typeText(c.Elem())
		if !ok {
			return // T cannot be written here: left as it is
		}
		targs += ", " + t
	}
	a.addChanOp(s.Pos(), []ClassRef{a.chanClass(s.Chan, stack)},
		Edit{a.off(s.Chan.Pos()), a.off(s.Chan.Pos()), chanopPkg + "Send[" + targs + "]("},
		Edit{a.off(s.Arrow), a.off(s.Arrow) + 2, ","},
		Edit{a.off(s.Value.End()), a.off(s.Value.End()), ")"})
}

// inferable reports whether a value of type vt passed as T infers the
// channel's element type elem: an untyped constant or nil, or elem itself.
func (a *analyzer) inferable(vt, elem types.Type) bool {
	if vt == nil {
		return false
	}
	if b, ok := vt.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		return true
	}
	return types.Identical(vt, elem)
}

func (a *analyzer) recv(u *ast.UnaryExpr, stack []ast.Node) {
	if a.chanOf(u.X) == nil || a.runtimeChan(u.X) {
		return
	}
	fn := "Recv"
	if _, ok := a.info.TypeOf(u).(*types.Tuple); ok {
		fn = "Recv2" // v, ok := <-ch
	}
	a.addChanOp(u.Pos(), []ClassRef{a.chanClass(u.X, stack)},
		Edit{a.off(u.OpPos), a.off(u.OpPos) + 2, chanopPkg + fn + "[" + placeholder(0) + "]("},
		Edit{a.off(u.X.End()), a.off(u.X.End()), ")"})
}

func (a *analyzer) close(call *ast.CallExpr, stack []ast.Node) {
	if a.chanOf(call.Args[0]) == nil {
		return
	}
	fun := unparen(call.Fun)
	a.addChanOp(call.Pos(), []ClassRef{a.chanClass(call.Args[0], stack)},
		Edit{a.off(fun.Pos()), a.off(fun.End()), chanopPkg + "Close[" + placeholder(0) + "]"})
}

// runtimeChan reports whether e is a channel that the runtime completes:
// time.After(d), time.Tick(d), the C of a time.Timer or time.Ticker, the
// Done() of a context.Context.
func (a *analyzer) runtimeChan(e ast.Expr) bool {
	switch e := unparen(e).(type) {
	case *ast.CallExpr:
		fn := a.callee(e)
		if fn == nil || fn.Pkg() == nil {
			return false
		}
		if fn.Pkg().Path() == "time" && (fn.Name() == "After" || fn.Name() == "Tick") {
			return true
		}
		if sel, ok := unparen(e.Fun).(*ast.SelectorExpr); ok && fn.Name() == "Done" {
			return isContext(a.info.TypeOf(sel.X))
		}
	case *ast.SelectorExpr:
		if e.Sel.Name != "C" {
			return false
		}
		t := a.info.TypeOf(e.X)
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" {
			return n.Obj().Name() == "Timer" || n.Obj().Name() == "Ticker"
		}
	}
	return false
}

// isContext reports whether t has the methods of context.Context.
func isContext(t types.Type) bool {
	if t == nil {
		return false
	}
	ms := types.NewMethodSet(t)
	if _, ok := t.Underlying().(*types.Interface); !ok {
		if _, isPtr := t.(*types.Pointer); !isPtr {
			ms = types.NewMethodSet(types.NewPointer(t))
		}
	}
	for _, name := range []string{"Deadline", "Done", "Err", "Value"} {
		found := false
		for i := 0; i < ms.Len(); i++ {
			if ms.At(i).Obj().Name() == name {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
