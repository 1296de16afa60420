package lockdep

import "sync"

// Declared classes: the class of every lock declared at one place in the
// source, for code rewritten by "lockdepd test", which gives each
// sync.Mutex and sync.RWMutex field, variable and element the class of its
// declaration ("bank.Account.mu", "bank.Table.rows[]"), the Go analog of
// the kernel's static key per initialisation site.
//
// A declared class is a site class whose site is known before the first
// use: it is named by the declaration instead of by the code that first
// locks it, and it behaves as a site class in every other way (site.go):
// an order learned on one pair of classes is checked on every other pair,
// instances of one class nested together are checked by learned instance
// order (pairs.go: reported when two instances are nested both ways, never
// as a recursion on first sight), and the name is the same in every binary
// built from the same source, so the daemon merges them.

// declaredSites maps a declared name to its site, made once per name.
var declaredSites sync.Map // string -> *siteInfo

func declaredSite(name, kind string) *siteInfo {
	if s, ok := declaredSites.Load(name); ok {
		return s.(*siteInfo)
	}
	s, _ := declaredSites.LoadOrStore(name, &siteInfo{name: name, kind: kind})
	return s.(*siteInfo)
}

// newDeclaredMap returns a Map belonging to v in the declared class name:
// one class for every lock declared at one place ("lockdepd test"'s
// rewritten locks, through package locks). kind names the lock type in
// instance names ("Mutex@0xc000012345").
func (v *Validator) newDeclaredMap(name, kind string) *Map {
	m := &Map{v: v, name: kind, bySite: true}
	m.site.Store(declaredSite(name, kind))
	return m
}
