package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// occurrence classifies one occurrence of a sync lock type by walking up
// from it to what declares it: a struct field of a named type, a variable,
// a literal stored somewhere, or anything else.
func (a *analyzer) occurrence(n ast.Expr, kind string, stack []ast.Node) {
	o := Occ{File: a.cur.Path, Off: a.off(n.Pos()), End: a.off(n.End()), Kind: kind, Role: RoleOther, Line: a.line(n.Pos())}
	var (
		rel  string // path from the current node down to the lock: "[]", "*", ".f"
		name string // the class name's part below the current node
		ptr  bool   // rel goes through a pointer
		// many is the declaration of several names right above the
		// lock, if any, and tail the class name's part from its name
		// down: each name gets a class of its own (see Split).
		many  ast.Node
		tail  string
		paren bool // many is a ValueSpec in a parenthesised declaration
		seen  bool // a Field or ValueSpec was passed
	)
	defer func() { a.emit(o, many, tail, paren) }()
	// declare makes the occurrence a declaration rooted at a type or
	// variable named root; through a pointer, it only names the class of
	// the allocations stored there.
	declare := func(root string) {
		declareAs(&o, a.p.Label+"."+a.funcPrefix(stack)+root+name, ptr)
	}
	var cur ast.Node = n
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
		case *ast.ArrayType:
			if p.Elt != cur {
				return
			}
			rel, name = "[]"+rel, "[]"+name
		case *ast.MapType:
			if p.Value != cur {
				return
			}
			rel, name = "[]"+rel, "[]"+name
		case *ast.StarExpr:
			rel, ptr = "*"+rel, true
		case *ast.Field:
			st, ok := structOf(stack, i)
			if !ok || p.Type != cur {
				return
			}
			field := fieldName(p)
			for _, v := range a.fieldVars(p) {
				o.Keys = append(o.Keys, a.key(v)+rel)
			}
			if !seen && len(p.Names) > 1 {
				many, tail = p, name
			}
			seen = true
			rel, name = "."+field+rel, "."+field+name
			cur = st
			i -= 2 // the FieldList and the StructType
			continue
		case *ast.TypeSpec:
			if p.Type != cur || p.Assign.IsValid() || len(o.Keys) == 0 {
				o.Keys = nil
				return
			}
			declare(p.Name.Name)
			return
		case *ast.ValueSpec:
			if p.Type != cur {
				return
			}
			for _, id := range p.Names {
				if v, ok := a.info.Defs[id].(*types.Var); ok {
					o.Keys = append(o.Keys, a.key(v)+rel)
				}
			}
			if !seen && len(p.Names) > 1 {
				many, tail = p, name
				if i > 0 {
					gd, ok := stack[i-1].(*ast.GenDecl)
					paren = ok && gd.Lparen.IsValid()
				}
			}
			if len(p.Names) > 0 {
				declare(p.Names[0].Name)
			}
			return
		case *ast.CompositeLit:
			if p.Type != cur {
				return
			}
			if u, j := parentOf(p, stack[:i]); u != nil && u.Op == token.AND {
				a.literal(&o, u, true, rel, name, ptr, stack[:j])
			} else {
				a.literal(&o, p, false, rel, name, ptr, stack[:i])
			}
			return
		case *ast.CallExpr:
			if len(p.Args) > 0 && p.Args[0] == cur {
				switch a.builtin(p) {
				case "make":
					a.literal(&o, p, false, rel, name, ptr, stack[:i])
				case "new":
					a.literal(&o, p, true, rel, name, ptr, stack[:i])
				}
				return
			}
			if p.Fun == cur && len(p.Args) == 1 && a.info.Types[p.Fun].IsType() && isUnsafePointer(a.info.TypeOf(p.Args[0])) {
				o.Skip = "converted from an unsafe.Pointer"
			}
			return
		default:
			return
		}
		cur = stack[i]
	}
}

// literal classifies a lock type in the type of a literal or make call (or
// allocated by new or &T{}) from where the value is stored.
func (a *analyzer) literal(o *Occ, e ast.Expr, alloc bool, rel, name string, ptr bool, stack []ast.Node) {
	k, def := a.storedAt(e, stack)
	if k == "" {
		return
	}
	if alloc {
		k += "*"
		if rel == "" {
			o.Role, o.Target = RoleAlloc, k
			o.ExprOff, o.ExprEnd = a.off(e.Pos()), a.off(e.End())
			if def != nil {
				o.Keys = []string{k}
				o.Class = a.p.Label + "." + a.funcPrefix(stack) + def.Name()
			}
			return
		}
		ptr = true
	}
	if def != nil {
		// x := sync.Mutex{}, var locks = make([]sync.Mutex, n): the
		// literal's type is the variable's declaration.
		o.Keys = append(o.Keys, k+rel)
		declareAs(o, a.p.Label+"."+a.funcPrefix(stack)+def.Name()+name, ptr)
		return
	}
	o.Role, o.Target = RoleBound, k+rel
}

func declareAs(o *Occ, class string, ptr bool) {
	o.Class = class
	if !ptr {
		o.Role = RoleDecl
	}
}

// structOf returns the StructType whose field list holds stack[i], a Field.
func structOf(stack []ast.Node, i int) (*ast.StructType, bool) {
	if i < 2 {
		return nil, false
	}
	st, ok := stack[i-2].(*ast.StructType)
	return st, ok
}

// parentOf returns the UnaryExpr directly around e, if any, and its index
// in stack.
func parentOf(e ast.Expr, stack []ast.Node) (*ast.UnaryExpr, int) {
	p, _, i := parent(e, stack)
	u, _ := p.(*ast.UnaryExpr)
	return u, i
}

// fieldName is a field's name in class names: its first name, or the type
// name of an embedded field.
func fieldName(f *ast.Field) string {
	if len(f.Names) > 0 {
		return f.Names[0].Name
	}
	if id := embeddedIdent(f.Type); id != nil {
		return id.Name
	}
	return "?"
}

func embeddedIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			return x.Sel
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// fieldVars returns the variables a struct field declares.
func (a *analyzer) fieldVars(f *ast.Field) []*types.Var {
	var vs []*types.Var
	ids := f.Names
	if len(ids) == 0 {
		if id := embeddedIdent(f.Type); id != nil {
			ids = []*ast.Ident{id}
		}
	}
	for _, id := range ids {
		if v, ok := a.info.Defs[id].(*types.Var); ok {
			vs = append(vs, v)
		}
	}
	return vs
}

// funcPrefix names the function a declaration is local to, with a trailing
// dot ("Transfer.", "Account.Deposit."), or "" at package level. A closure
// counts as its enclosing function; code in a package variable's
// initialiser as that variable.
func (a *analyzer) funcPrefix(stack []ast.Node) string {
	for i, n := range stack {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Recv != nil && len(n.Recv.List) == 1 {
				if id := embeddedIdent(n.Recv.List[0].Type); id != nil {
					return id.Name + "." + n.Name.Name + "."
				}
			}
			return n.Name.Name + "."
		case *ast.FuncLit:
			for j := i - 1; j >= 0; j-- {
				if vs, ok := stack[j].(*ast.ValueSpec); ok && len(vs.Names) > 0 {
					return vs.Names[0].Name + "."
				}
			}
			return "func."
		}
	}
	return ""
}

func isUnsafePointer(t types.Type) bool {
	b, ok := types.Unalias(t).(*types.Basic)
	return ok && b.Kind() == types.UnsafePointer
}

// emit records o; a declaration of several names right above a lock (many)
// becomes one occurrence per name, each with its key and its class, when
// nothing else stands between (one key per name): the class names differ
// only in the name, whose part of the class name runs from the name to the
// end, tail after it.
func (a *analyzer) emit(o Occ, many ast.Node, tail string, paren bool) {
	var names []*ast.Ident
	var typ ast.Expr
	var tag *ast.BasicLit
	varKeyword := false
	switch d := many.(type) {
	case *ast.Field:
		names, typ, tag = d.Names, d.Type, d.Tag
	case *ast.ValueSpec:
		if len(d.Values) > 0 {
			break
		}
		names, typ = d.Names, d.Type
		varKeyword = !paren
	}
	if len(names) < 2 || o.Role != RoleDecl || len(o.Keys) != len(names) || (o.Kind != "Mutex" && o.Kind != "RWMutex") {
		a.facts.Occs = append(a.facts.Occs, o)
		return
	}
	first := "." + names[0].Name + tail
	if len(o.Class) < len(first) || o.Class[len(o.Class)-len(first):] != first {
		a.facts.Occs = append(a.facts.Occs, o) // a class name of another shape: keep it whole
		return
	}
	base := o.Class[:len(o.Class)-len(first)]
	end := a.off(typ.End())
	sp := Split{Off: a.off(names[0].Pos()), TypeOff: a.off(typ.Pos()), TypeEnd: end, Count: len(names), Var: varKeyword}
	if tag != nil {
		sp.TagOff, sp.TagEnd = a.off(tag.Pos()), a.off(tag.End())
		end = sp.TagEnd
	}
	sp.End = end
	keys := o.Keys
	for i, id := range names {
		one := o
		one.Keys = []string{keys[i]}
		one.Class = base + "." + id.Name + tail
		s := sp
		s.Index, s.NameOff, s.NameEnd = i, a.off(id.Pos()), a.off(id.End())
		one.Split = &s
		a.facts.Occs = append(a.facts.Occs, one)
	}
}
