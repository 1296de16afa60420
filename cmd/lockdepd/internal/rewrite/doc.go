// Package rewrite finds the sync.Mutex and sync.RWMutex (and the waits:
// channel operations, WaitGroup, Once, Cond) of a set of type-checked
// packages and plans the copies of their files that "lockdepd
// test" builds in their place, through go build's -overlay: the user's
// files are only read.
//
// # Model
//
// Every place that can hold a lock by value is a declaration: a struct
// field (pkg.Type.field, an embedded one pkg.Type.Mutex), a package
// variable (pkg.name), a local variable (pkg.Func.name, pkg.Type.Method.name)
// and the elements of a slice, array or map declared at one of those
// (pkg.Type.field[]). Analyze records each occurrence of the sync types
// with the storage keys it declares: the position of the field or
// variable's name and the path from it ("[]" an element, "*" through a
// pointer). An expression that names a lock (a.mu, t.locks[i], v) resolves
// to the same keys, in any package of the set, so decisions made for a
// declaration reach every use of it.
//
// A declaration becomes declared.Mutex[K] (or RWMutex[K]), where K is a
// marker type appended to its file whose method returns the class name; an
// explicit &a.mu becomes declared.MutexPtr(&a.mu), a *locks.Mutex already
// in its class; a composite literal stored into a declaration takes the
// declaration's type; new(sync.Mutex) or &sync.Mutex{} stored into a
// pointer declaration (m.locks[k] = new(sync.Mutex)) becomes
// declared.NewMutex[K](), in the class of that place. A declaration of
// several names right above the lock (var a, b sync.Mutex; x, y sync.Mutex
// in a struct) is written once per name, on its line, each name with its
// own marker (Split; render.go's splitEdit). Every other
// occurrence (a pointer type, a parameter, a type argument, a conversion)
// becomes locks.Mutex, whose zero value takes the site class of its first
// use.
//
// Types must stay consistent, so a declaration falls back to locks.Mutex
// (a site class) when its value flows where another type is written: an
// array, slice or struct of locks copied, passed or taken by address as a
// whole, a value stored into it that is not a literal, a literal stored
// from another package (which cannot name the marker). A declaration used
// through package unsafe or reflect (unsafe.Pointer(&a.mu),
// unsafe.Offsetof(a.mu), reflect.ValueOf(&a.mu)) and a conversion from an
// unsafe.Pointer to *sync.Mutex are left as package sync, with a warning:
// the program may depend on their layout.
//
// Waits are rewritten too: sync.WaitGroup, sync.Once, sync.Cond and
// sync.NewCond become package locks' (site classes), and channel
// operations become calls of package locks/chanop in the class of the
// channel's declaration (chanclass.go, chanops.go, chanloop.go).
//
// Edits never add or remove a line before the last line of a file: the
// imports go on the package clause's line and the markers after the end,
// so compiler errors, stacks and reports point at the user's lines. A test
// package gets a generated TestMain that calls lockdeptest.Main; its own
// TestMain, if any, is renamed and its m.Run() calls become
// lockdeptest.RunM(m).
//
// Analyze works on one package and its result (Facts) depends only on the
// package's files and the types of its imports, so that it can be cached;
// Decide combines the Facts of every package and Render writes the files.
package rewrite
