package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// IgnoreDirective on a channel's declaration (a struct field or a var
// declaration, in its doc comment or at the end of its line) leaves the
// operations on channels of its class alone, in every package (on a
// lock's declaration, see lockignore.go): for a
// wait that is safe by construction, such as a test scheduler's gate
// that stops a goroutine holding locks until the test lets it go on
// (lockdep.Event.WaitUnchecked says the same in hand-annotated code). A
// select with a case on such a channel is left alone as a whole.
const IgnoreDirective = "//lockdepd:ignore"

func hasIgnore(groups ...*ast.CommentGroup) bool {
	for _, g := range groups {
		if g == nil {
			continue
		}
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, IgnoreDirective) {
				return true
			}
		}
	}
	return false
}

// ignores records the channel classes and the locks a declaration asks
// to leave alone.
func (a *analyzer) ignores(n ast.Node) {
	var vars []*types.Var
	switch n := n.(type) {
	case *ast.GenDecl:
		if n.Tok != token.VAR {
			return
		}
		for _, s := range n.Specs {
			vs := s.(*ast.ValueSpec)
			if hasIgnore(n.Doc, vs.Doc, vs.Comment) {
				for _, id := range vs.Names {
					if v, ok := a.info.Defs[id].(*types.Var); ok {
						vars = append(vars, v)
					}
				}
			}
		}
	case *ast.Field:
		if hasIgnore(n.Doc, n.Comment) {
			vars = a.fieldVars(n) // an embedded sync.Mutex too
		}
	}
	a.lockIgnores(vars, n)
	for _, v := range vars {
		if !isChan(v.Type()) && !chanBearing(v.Type()) {
			continue
		}
		if c, ok := a.varClass(v); ok {
			if !isChan(v.Type()) {
				c.Name += "[]"
			}
			a.facts.Ignored = append(a.facts.Ignored, c)
		}
	}
}

// chanBearing reports whether t is a slice, array or map of channels.
func chanBearing(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return isChan(u.Elem())
	case *types.Array:
		return isChan(u.Elem())
	case *types.Map:
		return isChan(u.Elem())
	}
	return false
}
