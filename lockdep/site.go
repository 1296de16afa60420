package lockdep

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Site classes: the class policy for locks that were never given a key.
//
// The kernel gives a dynamically allocated lock the class of the place
// that initialised it. A zero-value Go lock has no such place, so a lock
// made without a key takes the class of the place that first uses it: the
// first function outside the lock packages on the stack of its first
// acquisition, and the line there. Every c.mu of a type is usually first
// locked by the same few methods, so its instances share one or a few
// classes, and an order learned on one pair of objects is checked on every
// other pair, as the kernel does. Two different locks first taken on one
// line (a helper that locks whatever it is given) share a class too.
//
// Locks of one site class are often nested on purpose (parent then child,
// two accounts by id), which a class alone cannot tell from a deadlock. So
// within a site class the validator learns the order of each pair of
// instances it sees nested, and reports a pair nested both ways (see
// pairs.go); taking the very same instance twice is Recursive as always.
//
// A site's name is the function and line, with the package path shortened
// to its last element, as in "bbolt.(*DB).beginRWTx:853". It is the same
// in every binary built from the same source, so the daemon merges the
// classes of different test binaries. Finding it costs one walk of a few
// stack frames on a lock's first use; each frame's answer is cached by
// program counter, so the name is built once per site.

type siteInfo struct {
	key  Key
	name string
}

var sites struct {
	byPC sync.Map // uintptr -> *siteInfo (internalSite for frames to skip)

	mu     sync.Mutex
	byName map[string]*siteInfo // "function:line" -> site
	short  map[string]string    // short name -> the full function that has it
}

// internalSite marks a program counter inside the lock packages.
var internalSite = &siteInfo{name: "(internal)"}

// unknownSite is the class of locks whose first use has no frame outside
// the lock packages within the frames looked at.
var unknownSite = &siteInfo{name: "lock(unknown site)"}

// siteOf returns the site of the calling goroutine's first frame outside
// the validator and the lock packages, skip frames up.
func siteOf(skip int) *siteInfo {
	var pcs [24]uintptr
	n := runtime.Callers(skip, pcs[:])
	for _, pc := range pcs[:n] {
		if s, ok := sites.byPC.Load(pc); ok {
			if s != internalSite {
				return s.(*siteInfo)
			}
			continue
		}
		s := resolvePC(pc)
		sites.byPC.Store(pc, s)
		if s != internalSite {
			return s
		}
	}
	return unknownSite
}

// resolvePC names the innermost function outside the lock packages among
// the (possibly inlined) functions at one return address.
func resolvePC(pc uintptr) *siteInfo {
	frames := runtime.CallersFrames([]uintptr{pc})
	for {
		f, more := frames.Next()
		if f.Function != "" && !isInternal(&f) && !strings.HasPrefix(f.Function, "sync.") &&
			!strings.HasPrefix(f.Function, "runtime.") {
			return siteNamed(f.Function, f.Line)
		}
		if !more {
			return internalSite
		}
	}
}

func siteNamed(function string, line int) *siteInfo {
	full := function + ":" + strconv.Itoa(line)
	sites.mu.Lock()
	defer sites.mu.Unlock()
	if s := sites.byName[full]; s != nil {
		return s
	}
	if sites.byName == nil {
		sites.byName = make(map[string]*siteInfo)
		sites.short = make(map[string]string)
	}
	short := function
	if i := strings.LastIndexByte(function, '/'); i >= 0 {
		short = function[i+1:]
	}
	name := short + ":" + strconv.Itoa(line)
	if owner, ok := sites.short[name]; ok && owner != function {
		name = full // two packages with one last element: keep the path
	}
	sites.short[name] = function
	s := &siteInfo{name: name}
	sites.byName[full] = s
	return s
}

// NewSiteMap returns a Map of the default validator whose class is the
// site of its first use: the class of a lock that was never given a key
// (see the package documentation). kind names the lock type in instance
// names ("Mutex@0xc000012345").
func NewSiteMap(kind string) *Map { return Default.NewSiteMap(kind) }

// NewSiteMap returns a Map belonging to v whose class is the site of its
// first use; see the package-level NewSiteMap.
func (v *Validator) NewSiteMap(kind string) *Map {
	m := &Map{v: v, name: kind, bySite: true}
	return m
}

// resolveSite fixes the site of a site-class Map on its first use.
func (m *Map) resolveSite() *siteInfo {
	if s := m.site.Load(); s != nil {
		return s
	}
	// Frames: runtime.Callers, siteOf, resolveSite, classFor, and the
	// validator entry point: start looking above them. Leading frames of
	// the lock packages are skipped by name.
	s := siteOf(5)
	if m.site.CompareAndSwap(nil, s) {
		return s
	}
	return m.site.Load()
}

// instanceSeq numbers the instances that take part in learned orders.
var instanceSeq atomic.Uint64
