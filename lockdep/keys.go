package lockdep

import (
	"fmt"
)

// lookupClass finds or creates the class of (m's key, sub).
func (v *Validator) lookupClass(m *Map, sub int) *class {
	v.mu.Lock()
	c, r := v.lookupMapClassLocked(m, sub)
	v.mu.Unlock()
	if r != nil {
		v.deliver([]*Report{r})
	}
	return c
}

func (v *Validator) keyInfoLocked(k *Key, name string) *keyInfo { return v.g.keyInfoLocked(k, name) }

func (g *classGraph) keyInfoLocked(k *Key, name string) *keyInfo {
	ki := g.keys[k]
	if ki == nil {
		ki = &keyInfo{key: k, name: g.uniqueNameLocked(name)}
		g.keys[k] = ki
	}
	return ki
}

// uniqueNameLocked returns name, or name#2, name#3... so that class names
// are unique within a process: the daemon matches classes across processes
// by name. Give keys distinct names: a suffix depends on the order in
// which classes are first used, which differs between processes. The
// next suffix to try is remembered per name, so naming costs O(1)
// amortised however many keys share a name.
func (g *classGraph) uniqueNameLocked(name string) string {
	if name == "" {
		name = "lock"
	}
	n := name
	if g.names[n] != 0 {
		i := g.names[name]
		for {
			i++
			n = fmt.Sprintf("%s#%d", name, i)
			if g.names[n] == 0 {
				break
			}
		}
		g.names[name] = i
	}
	if g.names[n] == 0 {
		g.names[n] = 1
	}
	return n
}

// lookupMapClassLocked is lookupClassLocked for the key and name of m.
func (v *Validator) lookupMapClassLocked(m *Map, sub int) (*class, *Report) {
	if m.key == nil && m.bySite {
		s := m.resolveSite()
		// Set before the key's first class is made, so that whoever sees a
		// class of the key sees its site (read without the graph lock).
		if ki := v.keyInfoLocked(&s.key, s.name); ki.site == nil {
			ki.site = s
		}
	}
	if m.event {
		// Written once, before the key's first class is made: the fast
		// path reads it through a class without the graph lock, so a
		// second write of the same value would race with those reads.
		if ki := v.keyInfoLocked(m.classKey(), m.className()); !ki.event {
			ki.event = true
		}
	}
	return v.lookupClassLocked(m.classKey(), m.className(), sub)
}

func (v *Validator) lookupClassLocked(k *Key, name string, sub int) (*class, *Report) {
	ki := v.keyInfoLocked(k, name)
	if c := ki.classes[sub]; c != nil {
		return c, nil
	}
	if len(v.g.classes) >= v.opts.MaxClasses {
		return nil, v.overflowLocked("MaxClasses", v.opts.MaxClasses)
	}
	c := v.g.newClassLocked(ki, sub, v)
	if ki.site != nil && sub == 0 {
		ki.site.class.Store(c)
	}
	return c, nil
}

// newClassLocked makes the class (ki, sub); the caller has checked that
// it does not exist and the class limit. v is the validator that owns the
// graph (nil for a Merger's).
func (g *classGraph) newClassLocked(ki *keyInfo, sub int, v *Validator) *class {
	c := &class{v: v, id: g.nextID, name: ki.name, sub: uint8(sub), ki: ki}
	for m := range c.root {
		c.root[m] = chainHash(0, c.id, Mode(m), false)
	}
	if v != nil {
		c.gen.Store(v.gen.Load())
	}
	if sub > 0 {
		c.name = fmt.Sprintf("%s/%d", ki.name, sub)
	}
	c.ordered.Store(ki.order != nil || ki.site != nil)
	c.topo = g.nextTopo
	g.nextTopo++
	g.nextID++
	g.classes[c.id] = c
	ki.classes[sub] = c
	return c
}

// RegisterKey declares a dynamically allocated key and names its class.
// Registering is optional for keys that live as long as the program (package
// variables); a key that is freed must be unregistered first.
func (v *Validator) RegisterKey(k *Key, name string) {
	if !Enabled {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	ki := v.keyInfoLocked(k, name)
	ki.dynamic = true
}

// UnregisterKey forgets the classes of k: their dependencies and every
// cached chain that contains them. Locks still using k get new classes.
func (v *Validator) UnregisterKey(k *Key) {
	if !Enabled {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	ki := v.g.keys[k]
	if ki == nil {
		return
	}
	delete(v.g.keys, k)
	delete(v.g.names, ki.name)
	dead := make(map[*class]bool)
	for _, c := range ki.classes {
		if c != nil {
			dead[c] = true
			delete(v.g.classes, c.id)
			c.gen.Store(0) // stale everywhere it is cached
		}
	}
	v.zapClassesLocked(dead)
}

// zapClassesLocked removes the dependencies of dead classes and the chains
// that contain them; the chain table is rebuilt without them.
func (v *Validator) zapClassesLocked(dead map[*class]bool) {
	for c := range dead {
		for _, e := range c.after {
			e.to.before = removeEdge(e.to.before, e)
			v.g.nedges--
		}
		for _, e := range c.before {
			e.from.after = removeEdge(e.from.after, e)
			v.g.nedges--
		}
		c.after, c.before = nil, nil
	}
	ct := newChainTable(v.opts.MaxChains)
	for key, ci := range v.chainInfo {
		keep := true
		for _, c := range ci.classes {
			if dead[c] {
				keep = false
				break
			}
		}
		if keep {
			ct.insertLocked(key)
		} else {
			delete(v.chainInfo, key)
		}
	}
	v.chains.Store(ct)
}

func removeEdge(es []*edge, e *edge) []*edge {
	for i, x := range es {
		if x == e {
			return append(es[:i], es[i+1:]...)
		}
	}
	return es
}

// SetInstanceOrder gives key k an order over its instances: whenever a
// goroutine holds one lock of k (any subclass) and blocks on another, cmp of
// the held one and the new one must be negative, or an OrderViolation report
// names both. Subclass annotations alone cannot catch two code paths that
// nest the same pair of instances in opposite orders; this can. Use
// OrderByAddress or OrderByValue, or any comparator.
func (v *Validator) SetInstanceOrder(k *Key, name string, cmp func(a, b *Map) int) {
	if !Enabled {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	ki := v.keyInfoLocked(k, name)
	ki.order = cmp
	for _, c := range ki.classes {
		if c != nil {
			c.ordered.Store(cmp != nil)
		}
	}
}

// OrderByAddress orders instances by the address of their Map, as the
// VFS's lock_two_nondirectories and filemap_invalidate_lock_two do.
func OrderByAddress(a, b *Map) int {
	switch {
	case a.Addr() < b.Addr():
		return -1
	case a.Addr() > b.Addr():
		return 1
	}
	return 0
}

// OrderByValue orders instances by the position set with Map.SetOrder, as
// XFS's xfs_lock_two_inodes orders by inode number.
func OrderByValue(a, b *Map) int {
	switch {
	case a.order < b.order:
		return -1
	case a.order > b.order:
		return 1
	}
	return 0
}

// RegisterKey declares a dynamic key on the default validator.
func RegisterKey(k *Key, name string) { std.RegisterKey(k, name) }

// UnregisterKey forgets a dynamic key on the default validator.
func UnregisterKey(k *Key) { std.UnregisterKey(k) }

// SetInstanceOrder sets an instance order on the default validator.
func SetInstanceOrder(k *Key, name string, cmp func(a, b *Map) int) {
	std.SetInstanceOrder(k, name, cmp)
}
