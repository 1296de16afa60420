package rewrite

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Import paths and the names the rewritten files import them under.
const (
	declaredImport    = `lockdep_declared "github.com/golockdep/lockdep/locks/declared"`
	locksImport       = `lockdep_locks "github.com/golockdep/lockdep/locks"`
	chanopImport      = `lockdep_chanop "github.com/golockdep/lockdep/locks/chanop"`
	lockdeptestImport = `lockdep_lockdeptest "` + LockdeptestPath + `"`
	userTestMain      = "lockdep_userTestMain"
)

type edit struct {
	off, end int
	text     string
}

// Files returns the files Render changes.
func (pl *Plan) Files() []string {
	set := map[string]bool{}
	for _, o := range pl.occs {
		if pl.dec[o].kind != keepSync {
			set[o.File] = true
		}
	}
	for f := range pl.refs {
		set[f] = true
	}
	for f := range pl.runs {
		set[f] = true
	}
	for f := range pl.chans {
		set[f] = true
	}
	for f := range pl.renamed {
		set[f] = true
	}
	var out []string
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Render returns the rewritten content of file, whose original content is
// src. Lines keep their numbers: what is added goes on the package
// clause's line and after the last line.
func (pl *Plan) Render(file string, src []byte) ([]byte, error) {
	ff := pl.files[file]
	if ff == nil {
		return src, nil
	}
	var (
		edits                          []edit
		useDeclared, useLocks, useTest bool
		useChanop                      bool
		changedSync                    bool
		marks                          = map[string]string{}
	)
	splits := map[int][]*occAt{} // by Split.Off: the names of one declaration
	for _, o := range pl.occs {
		if o.File != file {
			continue
		}
		d := pl.dec[o]
		if o.Split != nil {
			splits[o.Split.Off] = append(splits[o.Split.Off], o)
		}
		switch d.kind {
		case keepSync:
			continue
		case toPlain:
			useLocks = true
		case toDeclared:
			useDeclared = true
			if o.Role == RoleDecl {
				marks[d.marker] = d.class
			}
		case toAlloc:
			useDeclared = true
			marks[d.marker] = d.class
		}
		changedSync = true
		switch {
		case o.Split != nil: // written with the declaration's other names below
		case d.kind == toAlloc:
			edits = append(edits, edit{o.ExprOff, o.ExprEnd, "lockdep_declared.New" + o.Kind + "[" + d.marker + "]()"})
		default:
			edits = append(edits, edit{o.Off, o.End, typeText(o, d)})
		}
	}
	for _, group := range splits {
		e, err := pl.splitEdit(group, src)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		edits = append(edits, e)
	}
	for _, r := range pl.refs[file] {
		if t := pl.byKey[r.Key]; t != nil && t.Role == RoleDecl && pl.dec[t].kind == toDeclared {
			edits = append(edits, edit{r.Amp, r.Amp, "lockdep_declared." + r.Kind + "Ptr("}, edit{r.End, r.End, ")"})
			useDeclared = true
		}
	}
	for _, op := range pl.chans[file] {
		markers := make([]string, len(op.Classes))
		for i, c := range op.Classes {
			class := pl.chanClass[c]
			markers[i] = markerName("lockdepC_", class, file)
			marks[markers[i]] = class
		}
		for _, e := range op.Edits {
			text := e.Text
			for i, m := range markers {
				text = strings.ReplaceAll(text, placeholder(i), m)
			}
			edits = append(edits, edit{e.Off, e.End, text})
		}
		useChanop = true
	}
	for _, tm := range pl.renamed[file] {
		edits = append(edits, edit{tm.NameOff, tm.NameEnd, userTestMain})
	}
	for _, r := range pl.runs[file] {
		if r.ArgEnd > len(src) {
			return nil, fmt.Errorf("%s: changed since it was analysed", file)
		}
		fn := "RunM"
		if r.Wrap {
			fn = "WrapM"
		}
		edits = append(edits, edit{r.Off, r.End, "lockdep_lockdeptest." + fn + "(" + string(src[r.ArgOff:r.ArgEnd]) + ")"})
		useTest = true
	}
	if len(edits) == 0 {
		return src, nil
	}
	var imports []string
	if useDeclared {
		imports = append(imports, declaredImport)
	}
	if useLocks {
		imports = append(imports, locksImport)
	}
	if useTest {
		imports = append(imports, lockdeptestImport)
	}
	if useChanop {
		imports = append(imports, chanopImport)
	}
	if len(imports) > 0 {
		edits = append(edits, edit{ff.NameEnd, ff.NameEnd, "; import (" + strings.Join(imports, "; ") + ")"})
	}
	out, err := apply(src, edits)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var tail bytes.Buffer
	if changedSync && ff.SyncName != "" && ff.SyncName != "_" {
		q := ff.SyncName + "."
		if ff.SyncName == "." {
			q = ""
		}
		fmt.Fprintf(&tail, "\nvar _ %sLocker // sync may be used only by the types rewritten above\n", q)
	}
	names := make([]string, 0, len(marks))
	for m := range marks {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		fmt.Fprintf(&tail, "\ntype %s struct{}\n\nfunc (%s) LockdepClass() string { return %s }\n", m, m, strconv.Quote(marks[m]))
	}
	if tail.Len() > 0 {
		out = append(out, "\n// Added by lockdepd test.\n"...)
		out = append(out, tail.Bytes()...)
	}
	return out, nil
}

// apply makes non-overlapping edits to src.
func apply(src []byte, edits []edit) ([]byte, error) {
	// At one offset, insertions go before a replacement that starts
	// there (the Send call opening before the receive it sends from).
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].off != edits[j].off {
			return edits[i].off < edits[j].off
		}
		return edits[i].end-edits[i].off == 0 && edits[j].end-edits[j].off > 0
	})
	var out []byte
	at := 0
	for _, e := range edits {
		if e.off < at || e.end > len(src) || e.end < e.off {
			return nil, fmt.Errorf("overlapping edits at offset %d (the file changed since it was analysed?)", e.off)
		}
		out = append(out, src[at:e.off]...)
		out = append(out, e.text...)
		at = e.end
	}
	return append(out, src[at:]...), nil
}

// testMains plans the generated TestMain of every tested package, and the
// renaming of the package's own TestMain.
func (pl *Plan) testMains(tested []Tested, byID map[string]*Facts, exists func(string) bool) {
	for _, t := range tested {
		var own *OwnTestMain
		for _, id := range []string{t.Internal, t.External} {
			if f := byID[id]; f != nil && len(f.TestMains) > 0 {
				own = &f.TestMains[0]
			}
		}
		name := t.Name
		if t.Internal == "" {
			name = t.XName
		}
		user := "nil"
		if own != nil {
			name, user = own.PkgName, userTestMain
			pl.renamed[own.File] = append(pl.renamed[own.File], *own)
		} else if f := byID[t.Internal]; t.Internal != "" && f != nil && f.TestMainTaken {
			// The package has another TestMain: the generated one goes
			// into the external test package, made by this file if the
			// package has none.
			name = t.XName
			if name == "" && t.Name != "" {
				name = t.Name + "_test"
			}
			if x := byID[t.External]; x != nil && x.TestMainTaken {
				pl.Warnings = append(pl.Warnings, fmt.Sprintf("%s: its test packages declare something else named TestMain: "+
					"the tests run, but a report does not fail the binary", t.Path))
				continue
			}
		}
		if name == "" {
			continue
		}
		path := filepath.Join(t.Dir, "lockdepd_testmain_test.go")
		for i := 2; exists(path); i++ {
			path = filepath.Join(t.Dir, fmt.Sprintf("lockdepd_testmain%d_test.go", i))
		}
		pl.Generated[path] = []byte(fmt.Sprintf(`// Code generated by lockdepd test. DO NOT EDIT.

package %s

import (
	%s
	lockdep_testing "testing"
)

func TestMain(m *lockdep_testing.M) { lockdep_lockdeptest.Main(m, %s, %s) }
`, name, lockdeptestImport, strconv.Quote(t.Path), user))
		pl.Stats.Tested++
	}
}

// splitEdit writes a declaration of several names once per name, each with
// the type its own decision gives: "a, b sync.Mutex" becomes
// "a lockdep_declared.Mutex[K1]; b lockdep_declared.Mutex[K2]" (with "var "
// before b outside parentheses), on the same line.
func (pl *Plan) splitEdit(group []*occAt, src []byte) (edit, error) {
	sort.Slice(group, func(i, j int) bool { return group[i].Split.Index < group[j].Split.Index })
	sp := group[0].Split
	if len(group) != sp.Count || sp.End > len(src) {
		return edit{}, fmt.Errorf("the declaration at offset %d changed since it was analysed", sp.Off)
	}
	var b strings.Builder
	for i, o := range group {
		s := o.Split
		if i > 0 {
			b.WriteString("; ")
			if s.Var {
				b.WriteString("var ")
			}
		}
		b.Write(src[s.NameOff:s.NameEnd])
		b.WriteByte(' ')
		b.Write(src[s.TypeOff:o.Off])
		if d := pl.dec[o]; d.kind == keepSync {
			b.Write(src[o.Off:o.End])
		} else {
			b.WriteString(typeText(o, d))
		}
		b.Write(src[o.End:s.TypeEnd])
		if s.TagEnd > 0 {
			b.WriteByte(' ')
			b.Write(src[s.TagOff:s.TagEnd])
		}
	}
	return edit{sp.Off, sp.End, b.String()}, nil
}

// typeText is what a lock type occurrence becomes under decision d
// (toPlain or toDeclared).
func typeText(o *occAt, d decision) string {
	if d.kind == toDeclared {
		return "lockdep_declared." + o.Kind + "[" + d.marker + "]"
	}
	return "lockdep_locks." + o.Kind
}
