package lockdep

import (
	"fmt"
	"sync/atomic"
	"unsafe"
)

// Map is the validator's view of one lock instance, like the kernel's
// struct lockdep_map. Package locks embeds a pointer to one in every lock;
// used on its own it is a pseudo-lock: a name for a wait (flushing work,
// reclaim) that takes part in the dependency graph with no lock behind it.
//
// A Map must not be copied after first use.
type Map struct {
	_    noCopy
	v    *Validator
	name string
	key  *Key // nil: the site's class (bySite) or the Map's own (own)
	own  Key
	// bySite: the class is the site of the first use (newSiteMap), fixed
	// in site on that use.
	bySite bool
	site   atomic.Pointer[siteInfo]
	// cache holds the classes of subclasses 0 and 1 for the fast path.
	cache [2]atomic.Pointer[class]
	// order is the instance's position for keys with an instance order.
	order uint64
	// id numbers the instance once it takes part in a learned order
	// (pairs.go); 0 until then.
	id atomic.Uint64
	// event marks the pseudo-lock of an Event (event.go).
	event bool
	// holder is the id of the goroutine that last took the lock
	// exclusively: a hint for foreign unlocks (see setHolder).
	holder int64
}

type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// NewMap returns a Map of the default validator. Locks created with the
// same key share a class; a nil key gives the Map a class of its own.
func NewMap(name string, key *Key) *Map { return std.NewMap(name, key) }

// NewMap returns a Map belonging to v; see the package-level NewMap.
func (v *Validator) NewMap(name string, key *Key) *Map {
	m := &Map{}
	m.Init(v, name, key)
	return m
}

// Init initialises a Map in place, for types that embed one. A nil v means
// the default validator.
func (m *Map) Init(v *Validator, name string, key *Key) {
	if v == nil {
		v = std
	}
	m.v = v
	m.name = name
	m.key = key
}

// Name returns the name the Map was created with.
func (m *Map) Name() string { return m.name }

// Validator returns the validator the Map reports to.
func (m *Map) validator() *Validator {
	if m.v == nil {
		return std
	}
	return m.v
}

// SetOrder sets this instance's position for keys that carry an instance
// order made with OrderByValue (an inode number, say).
func (m *Map) SetOrder(pos uint64) { m.order = pos }

// Addr returns the Map's address, the identity used by OrderByAddress.
func (m *Map) Addr() uintptr { return uintptr(unsafe.Pointer(m)) }

func (m *Map) String() string {
	return fmt.Sprintf("%s@%#x", m.name, m.Addr())
}

// classKey returns the key the Map's classes hang off.
func (m *Map) classKey() *Key {
	if m.key != nil {
		return m.key
	}
	if m.bySite {
		return &m.resolveSite().key
	}
	return &m.own
}

// className is the name a new class of the Map gets.
func (m *Map) className() string {
	if m.key == nil && m.bySite {
		return m.resolveSite().name
	}
	return m.name
}

// classFor returns the class of subclass sub (0..MaxSubclass), creating it
// on first use. It returns nil when the class limit has been reached.
// Map.acquire writes out the cached case; keep the two alike.
func (m *Map) classFor(v *Validator, sub int) *class {
	gen := v.gen.Load()
	if sub < len(m.cache) {
		if c := m.cache[sub].Load(); c != nil && c.gen.Load() == gen {
			return c
		}
	}
	if m.bySite && m.key == nil {
		st := m.resolveSite()
		if c := st.class.Load(); sub == 0 && c != nil && c.v == v && c.gen.Load() == gen {
			m.cache[0].Store(c)
			return c
		}
	}
	c := v.lookupClass(m, sub)
	if c != nil && sub < len(m.cache) {
		m.cache[sub].Store(c)
	}
	return c
}
