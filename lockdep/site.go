package lockdep

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/golockdep/lockdep/internal/plumbing"
)

// Site classes: the class policy for locks that were never given a key.
//
// The kernel gives a dynamically allocated lock the class of the place
// that initialised it. A zero-value Go lock has no such place, so a lock
// made without a key takes the class of the code that first uses it: the
// first function outside the lock packages on the stack of its first
// acquisition, widened to its receiver type for a method (and to the
// enclosing function or method for a closure), together with the lock's
// type. So the c.mu of every *Cache first locked by any method of *Cache
// is one class, "pkg.(*Cache):Mutex", whichever method came first; a lock
// first taken by a plain function has that function's class,
// "pkg.Transfer:Mutex". An order learned on one pair of objects is then
// checked on every other pair, as the kernel does for a class.
//
// Why so wide: a lock field first locked by different methods for
// different objects would otherwise be split over several classes, and
// objects of one field nested in a consistent order (shards in index
// order) would look like two classes nested both ways: a false cycle. The
// price is that different lock fields of one type, of the same lock type,
// share a class: nesting them is then checked per pair of instances (see
// below) rather than predicted for every pair, and a cycle through both
// fields (c.mu -> x, x -> c.statsMu) is reported as if they were one lock.
//
// Locks of one site class are often nested on purpose (parent then child,
// two accounts by id), which a class alone cannot tell from a deadlock. So
// within a site class the validator learns the order of each pair of
// instances it sees nested, and reports a pair nested both ways (see
// pairs.go); taking the very same instance twice is Recursive as always.
//
// What it cannot predict: an inversion between two objects of one site
// class that were never themselves nested both ways (give the lock a key,
// or an instance order, for that), and anything about a lock first used
// by code of another type than the one it belongs to (a helper that locks
// what it is given gives all those locks the helper's class).
//
// Names contain no line numbers or counters, so they are the same in every
// binary built from the same source and the daemon merges the classes of
// different test binaries. Finding the site costs one walk of a few stack
// frames on a lock's first use; each frame's answer is cached by program
// counter, so a name is built once per site.

type siteInfo struct {
	key  Key
	name string
	kind string
	// class is the subclass-0 class of the key in the validator that made
	// it, so that a new lock of the site finds its class without the
	// graph lock.
	class atomic.Pointer[class]
}

var sites struct {
	byPC sync.Map // uintptr -> *pcSites

	mu     sync.Mutex
	byName map[string]*siteInfo // full owner + ":" + kind -> site
	short  map[string]string    // short name -> the full owner that has it
}

// internalOwner marks a program counter inside the lock packages.
const internalOwner = ""

// siteOf returns the site class of a lock of kind first used by the
// calling goroutine's first frame outside the validator and the lock
// packages, skip frames up.
func siteOf(skip int, kind string) *siteInfo {
	var buf [24]uintptr
	pcs := buf[:10] // the lock packages' frames are few: look at more only if needed
	n := runtime.Callers(skip+1, pcs)
	if s := siteIn(pcs[:n], kind); s != nil {
		return s
	}
	if n == len(pcs) {
		pcs = buf[:]
		n = runtime.Callers(skip+1, pcs)
		if s := siteIn(pcs[:n], kind); s != nil {
			return s
		}
	}
	return siteNamed("(unknown)", kind)
}

// pcSites is what is known about one return address: the owner of its
// code (internalOwner for the lock packages' own), and the sites made for
// first uses there, one per lock type (a short list, copied on write).
type pcSites struct {
	pc    uintptr
	owner string
	kinds atomic.Pointer[[]*siteInfo]
	mu    sync.Mutex // serialises writers of kinds
}

func (p *pcSites) find(kind string) *siteInfo {
	if ks := p.kinds.Load(); ks != nil {
		for _, s := range *ks {
			if s.kind == kind {
				return s
			}
		}
	}
	return nil
}

func (p *pcSites) add(kind string) *siteInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.find(kind); s != nil {
		return s
	}
	s := siteNamed(p.owner, kind)
	var ks []*siteInfo
	if old := p.kinds.Load(); old != nil {
		ks = append(ks, *old...)
	}
	ks = append(ks, s)
	p.kinds.Store(&ks)
	return s
}

// pcCache is a direct-mapped cache in front of sites.byPC: most lookups
// are one multiply and one atomic load.
var pcCache [1024]atomic.Pointer[pcSites]

func lookupPC(pc uintptr) *pcSites {
	slot := &pcCache[(uint64(pc)*fibHash)>>54]
	if p := slot.Load(); p != nil && p.pc == pc {
		return p
	}
	var p *pcSites
	if v, ok := sites.byPC.Load(pc); ok {
		p = v.(*pcSites)
	} else {
		v, _ := sites.byPC.LoadOrStore(pc, &pcSites{pc: pc, owner: resolvePC(pc)})
		p = v.(*pcSites)
	}
	slot.Store(p)
	return p
}

func siteIn(pcs []uintptr, kind string) *siteInfo {
	for _, pc := range pcs {
		p := lookupPC(pc)
		if p.owner == internalOwner {
			continue
		}
		if s := p.find(kind); s != nil {
			return s
		}
		return p.add(kind)
	}
	return nil
}

// resolvePC returns the owner of the innermost function outside the lock
// packages among the (possibly inlined) functions at one return address.
func resolvePC(pc uintptr) string {
	frames := runtime.CallersFrames([]uintptr{pc})
	for {
		f, more := frames.Next()
		if f.Function != "" && !plumbing.Skipped(f.Function, f.File) && !strings.HasPrefix(f.Function, "sync.") &&
			!strings.HasPrefix(f.Function, "runtime.") {
			return ownerOf(f.Function)
		}
		if !more {
			return internalOwner
		}
	}
}

// ownerOf widens a function name to what a site class is named after:
// the receiver type of a method, as a pointer ("pkg.(*T)"), the enclosing
// function of a closure, or the function itself ("pkg.F").
func ownerOf(function string) string {
	slash := strings.LastIndexByte(function, '/') + 1
	dot := strings.IndexByte(function[slash:], '.')
	if dot < 0 {
		return function
	}
	pkg, rest := function[:slash+dot], function[slash+dot+1:]
	if strings.HasPrefix(rest, "(") {
		if i := strings.IndexByte(rest, ')'); i > 0 {
			return pkg + "." + rest[:i+1]
		}
	}
	// rest is F, F.funcN..., T.M or T.M.funcN...; generic types carry
	// "[...]" and no dots inside it.
	parts := strings.Split(rest, ".")
	for len(parts) > 1 && isClosure(parts[len(parts)-1]) {
		parts = parts[:len(parts)-1]
	}
	if len(parts) >= 2 {
		return pkg + ".(*" + parts[0] + ")" // a value receiver: same type
	}
	return pkg + "." + parts[0]
}

// isClosure reports whether a name component is a closure's ("func3",
// or "2" for a closure inside a closure) or a deferred wrapper's.
func isClosure(s string) bool {
	s = strings.TrimPrefix(s, "func")
	s = strings.TrimPrefix(s, "gowrap")
	s = strings.TrimPrefix(s, "deferwrap")
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func siteNamed(owner, kind string) *siteInfo {
	full := owner + ":" + kind
	sites.mu.Lock()
	defer sites.mu.Unlock()
	if s := sites.byName[full]; s != nil {
		return s
	}
	if sites.byName == nil {
		sites.byName = make(map[string]*siteInfo)
		sites.short = make(map[string]string)
	}
	name := full
	if i := strings.LastIndexByte(owner[:strings.IndexByte(owner+"(", '(')], '/'); i >= 0 {
		name = full[i+1:]
	}
	if other, ok := sites.short[name]; ok && other != full {
		name = full // two packages with one last element: keep the path
	}
	sites.short[name] = full
	s := &siteInfo{name: name, kind: kind}
	sites.byName[full] = s
	return s
}

// newSiteMap returns a Map belonging to v whose class is the site of its
// first use: the class of a zero-value lock, which was never given a key
// (see the package documentation). kind names the lock type in instance
// names ("Mutex@0xc000012345").
func (v *Validator) newSiteMap(kind string) *Map {
	m := &Map{v: v, name: kind, bySite: true}
	return m
}

// resolveSite fixes the site of a site-class Map on its first use.
func (m *Map) resolveSite() *siteInfo {
	if s := m.site.Load(); s != nil {
		return s
	}
	// Frames of the validator and the lock packages are skipped by name.
	s := siteOf(3, m.name)
	if m.site.CompareAndSwap(nil, s) {
		return s
	}
	return m.site.Load()
}

// instanceSeq numbers the instances that take part in learned orders.
var instanceSeq atomic.Uint64
