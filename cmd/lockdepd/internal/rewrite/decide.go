package rewrite

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Tested is a package whose tests run: its test binary gets the generated
// TestMain.
type Tested struct {
	Path string // import path
	Dir  string
	// Name is the package's name, used for the generated file when the
	// package has internal test files; XName that of its external test
	// package, used otherwise.
	Name, XName string
	// Internal and External are the go list IDs of the test variant
	// ("p [p.test]") and of the external test package, "" if none.
	Internal, External string
}

// decision is what an occurrence becomes.
type decision struct {
	kind   int    // keepSync, toPlain, toDeclared, toAlloc
	marker string // the marker type, for toDeclared and toAlloc
	class  string
}

const (
	toPlain = iota
	keepSync
	toDeclared
	toAlloc
)

// Plan is the rewrite of every file of a set of packages.
type Plan struct {
	occs  []*occAt
	byKey map[string]*occAt
	dec   map[*occAt]decision
	files map[string]*FileFacts
	refs  map[string][]Ref
	runs  map[string][]RunEdit
	// renamed are the TestMain declarations to rename, by file.
	renamed map[string][]OwnTestMain
	// chans are the channel operations by file, and chanClass the class
	// name of each ClassRef.
	chans     map[string][]ChanOp
	chanClass map[ClassRef]string
	// Generated are the new files: the TestMain of each tested package.
	Generated map[string][]byte
	// Warnings are the declarations left as package sync, one line each.
	Warnings []string
	Stats    Stats
}

// Stats counts the occurrences of the sync types by what they became.
type Stats struct {
	Declared int // declarations in a class of their own
	Plain    int // declarations demoted to a site class
	Kept     int // declarations left as package sync
	Allocs   int // allocations in the class of where they are stored
	Others   int // other occurrences (pointer types, parameters): locks types
	Waits    int // occurrences of sync.WaitGroup, Once, Cond and NewCond: locks types
	Chans    int // channel operations, range loops and select statements instrumented
	Tested   int // test binaries given the TestMain
}

type occAt struct {
	Occ
	label string
}

// Decide combines the Facts of every package rewritten together, and the
// packages whose tests run, into a Plan. exists reports whether a file is
// on disk (the generated TestMain must not replace one).
func Decide(all []*Facts, tested []Tested, exists func(string) bool) *Plan {
	pl := &Plan{byKey: map[string]*occAt{}, dec: map[*occAt]decision{}, files: map[string]*FileFacts{},
		refs: map[string][]Ref{}, runs: map[string][]RunEdit{}, renamed: map[string][]OwnTestMain{}, Generated: map[string][]byte{},
		chans: map[string][]ChanOp{}, chanClass: map[ClassRef]string{}}
	seen := map[string]bool{}
	var demote, skip, unchecked marks
	byID := map[string]*Facts{}
	for _, f := range all {
		byID[f.ID] = f
		for i := range f.Files {
			pl.files[f.Files[i].Path] = &f.Files[i]
		}
		for _, o := range f.Occs {
			id := fmt.Sprintf("%s:%d", o.File, o.Off)
			if o.Split != nil {
				id += fmt.Sprintf("/%d", o.Split.Index)
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			oa := &occAt{Occ: o, label: f.Label}
			pl.occs = append(pl.occs, oa)
			for _, k := range o.Keys {
				pl.byKey[k] = oa
			}
		}
		for _, r := range f.Refs {
			id := fmt.Sprintf("ref %s:%d", r.File, r.Amp)
			if !seen[id] {
				seen[id] = true
				pl.refs[r.File] = append(pl.refs[r.File], r)
			}
		}
		for _, r := range f.Runs {
			id := fmt.Sprintf("run %s:%d", r.File, r.Off)
			if !seen[id] {
				seen[id] = true
				pl.runs[r.File] = append(pl.runs[r.File], r)
			}
		}
		demote.add(f.Demote...)
		skip.add(f.Skip...)
		unchecked.add(f.Unchecked...)
	}
	pl.chanOps(all, seen)
	// A literal stored from another package cannot name the marker: the
	// declaration gets locks.Mutex.
	for _, o := range pl.occs {
		if o.Role == RoleBound {
			if t := pl.byKey[o.Target]; t != nil && t.label != o.label {
				demote.add(Mark{Key: o.Target, Reason: "given a literal in package " + o.label, At: fmt.Sprintf("%s:%d", o.File, o.Line)})
			}
		}
	}
	for _, o := range pl.occs {
		if o.Role == RoleDecl {
			pl.dec[o] = pl.declaration(o, demote, skip, unchecked)
		}
	}
	for _, o := range pl.occs {
		switch o.Role {
		case RoleDecl:
			continue
		case RoleBound:
			d := decision{kind: toPlain}
			if t := pl.byKey[o.Target]; t != nil && t.Role == RoleDecl {
				d = pl.dec[t]
			} else if skip.under(o.Target) != nil || unchecked.under(o.Target) != nil {
				d = decision{kind: keepSync}
			}
			pl.dec[o] = d
		case RoleAlloc:
			d := decision{kind: toPlain}
			if skip.under(o.Target) != nil || unchecked.under(o.Target) != nil {
				d = decision{kind: keepSync}
			} else if t := pl.byKey[o.Target]; t != nil && t.Class != "" && !waitKinds[o.Kind] {
				d = decision{kind: toAlloc, class: t.Class, marker: markerName("lockdepA_", t.Class, o.File)}
				pl.Stats.Allocs++
			}
			pl.dec[o] = d
		default:
			if unchecked.anyUnder(o.Keys) {
				pl.dec[o] = decision{kind: keepSync} // var p *sync.Mutex //lockdepd:ignore
				continue
			}
			if waitKinds[o.Kind] {
				pl.Stats.Waits++
			} else {
				pl.Stats.Others++
			}
			pl.dec[o] = decision{kind: toPlain}
		}
		if o.Skip != "" {
			pl.dec[o] = decision{kind: keepSync}
			pl.Warnings = append(pl.Warnings, fmt.Sprintf("%s:%d: sync.%s %s: left as it is, not validated", o.File, o.Line, o.Kind, o.Skip))
		}
	}
	pl.foreign(all)
	pl.testMains(tested, byID, exists)
	sort.Strings(pl.Warnings)
	return pl
}

func (pl *Plan) declaration(o *occAt, demote, skip, unchecked marks) decision {
	for _, k := range o.Keys {
		if unchecked.under(k) != nil {
			pl.Stats.Kept++
			return decision{kind: keepSync}
		}
	}
	for _, k := range o.Keys {
		if m := skip.under(k); m != nil {
			pl.Stats.Kept++
			pl.Warnings = append(pl.Warnings, fmt.Sprintf("%s (%s:%d) is %s at %s: left as sync.%s, not validated",
				o.Class, o.File, o.Line, m.Reason, m.At, o.Kind))
			return decision{kind: keepSync}
		}
	}
	if o.Skip != "" {
		pl.Stats.Kept++
		return decision{kind: keepSync}
	}
	if waitKinds[o.Kind] {
		pl.Stats.Waits++
		return decision{kind: toPlain}
	}
	for _, k := range o.Keys {
		if demote.under(k) != nil {
			pl.Stats.Plain++
			return decision{kind: toPlain}
		}
	}
	pl.Stats.Declared++
	return decision{kind: toDeclared, class: o.Class, marker: markerName("lockdepK_", o.Class, o.File)}
}

// chanOps collects the channel operations, each once, in the classes
// their parameters' callers give them (chanflow.go), but those on a
// class whose declaration asks to be ignored, and names their classes:
// the label of the package that declares them (its last path element if
// it is not rewritten) and the name below it.
func (pl *Plan) chanOps(all []*Facts, seen map[string]bool) {
	labels := map[string]string{}
	ignored := map[ClassRef]bool{}
	for _, f := range all {
		labels[f.Path] = f.Label
		for _, c := range f.Ignored {
			ignored[c] = true
		}
	}
	params := paramClasses(all)
	for _, f := range all {
	ops:
		for _, op := range f.Chans {
			id := fmt.Sprintf("chan %s:%d:%d:%q", op.File, op.Edits[0].Off, op.Edits[0].End, op.Edits[0].Text)
			if seen[id] {
				continue
			}
			seen[id] = true
			classes := make([]ClassRef, len(op.Classes))
			for i, c := range op.Classes {
				classes[i] = resolveParam(c, params)
			}
			op.Classes = classes
			for _, c := range op.Classes {
				if ignored[c] {
					continue ops
				}
			}
			pl.chans[op.File] = append(pl.chans[op.File], op)
			pl.Stats.Chans++
		}
	}
	for _, ops := range pl.chans {
		for _, op := range ops {
			for _, c := range op.Classes {
				l, ok := labels[c.Pkg]
				if !ok {
					l = path.Base(c.Pkg)
				}
				pl.chanClass[c] = l + "." + c.Name
			}
		}
	}
}

// markerName names the marker type of a class in a file: unique per file,
// so that files never declare one twice.
func markerName(prefix, class, file string) string {
	h := sha256.Sum256([]byte(class + "\x00" + filepath.Base(file)))
	return prefix + hex.EncodeToString(h[:6])
}

// marks are storage keys indexed by the declaration they start from.
type marks map[string][]Mark

func (ms *marks) add(list ...Mark) {
	if *ms == nil {
		*ms = marks{}
	}
	for _, m := range list {
		base := m.Key[:strings.IndexByte(m.Key, '#')+1]
		(*ms)[base] = append((*ms)[base], m)
	}
}

// under returns a mark whose key is k or a prefix of it (a whole that
// holds k), or nil.
func (ms marks) under(k string) *Mark {
	i := strings.IndexByte(k, '#')
	if i < 0 {
		return nil
	}
	for j, m := range ms[k[:i+1]] {
		if strings.HasPrefix(k, m.Key) {
			return &ms[k[:i+1]][j]
		}
	}
	return nil
}

// anyUnder reports whether one of keys is under a mark.
func (ms marks) anyUnder(keys []string) bool {
	for _, k := range keys {
		if ms.under(k) != nil {
			return true
		}
	}
	return false
}

// foreign warns, once per package, about the uses of locks of packages
// that are not rewritten: their sync.Mutex and the rewritten code's
// locks.Mutex are different types, which the build may reject.
func (pl *Plan) foreign(all []*Facts) {
	rewritten := map[string]bool{}
	for _, f := range all {
		rewritten[f.Path] = true
	}
	warned := map[string]bool{}
	for _, f := range all {
		for _, u := range f.HandOffs {
			if rewritten[u.Pkg] || warned["m "+u.Pkg] {
				continue
			}
			warned["m "+u.Pkg] = true
			pl.Warnings = append(pl.Warnings, fmt.Sprintf("%s: TestMain hands *testing.M to %s.%s, which is not "+
				"rewritten: its m.Run() does not check for reports, which then print but do not fail the binary; rerun with -deps",
				u.At, filepath.Base(u.Pkg), u.Name))
		}
		for _, u := range f.Foreign {
			if rewritten[u.Pkg] || warned[u.Pkg] {
				continue
			}
			warned[u.Pkg] = true
			pl.Warnings = append(pl.Warnings, fmt.Sprintf("%s: %s.%s holds a sync lock of package %s, which is not "+
				"rewritten: if the build fails on its type, rerun with -deps", u.At, filepath.Base(u.Pkg), u.Name, u.Pkg))
		}
	}
}
