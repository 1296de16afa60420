// Package deptype is the codec of the kernel's four dependency types, in
// one place for the validator (package lockdep) and the upload format
// (package reports): a set of them is written "-(EN)->" or "-(EN,SR)->",
// as in the kernel's Documentation/locking/lockdep-design.rst, and read
// back only in that canonical form.
package deptype

import (
	"fmt"
	"strings"
)

// Set is a set of dependency types.
type Set uint8

const (
	EN Set = 1 << iota // exclusive holder -> non-recursive acquirer
	ER                 // exclusive holder -> recursive reader
	SN                 // shared holder -> non-recursive acquirer
	SR                 // shared holder -> recursive reader
)

// names are the types in canonical order: bit i of a Set is names[i].
var names = [...]string{"EN", "ER", "SN", "SR"}

// String is the canonical form Parse reads: "-(EN,SR)->"; the empty set
// is "-()->".
func (s Set) String() string {
	var b strings.Builder
	b.WriteString("-(")
	for i, n := range names {
		if s&(1<<i) != 0 {
			if b.Len() > 2 {
				b.WriteByte(',')
			}
			b.WriteString(n)
		}
	}
	b.WriteString(")->")
	return b.String()
}

// Contains reports whether every type in u is in s.
func (s Set) Contains(u Set) bool { return s&u == u }

// Parse reads the canonical form of a non-empty set: "-(EN)->",
// "-(EN,SR)->", each type once, in the order EN, ER, SN, SR.
func Parse(s string) (Set, error) {
	in, ok := strings.CutPrefix(s, "-(")
	if ok {
		in, ok = strings.CutSuffix(in, ")->")
	}
	if !ok || in == "" {
		return 0, fmt.Errorf("dependency types %q: want the form -(EN,SR)->", s)
	}
	var set Set
	next := 0
	for _, part := range strings.Split(in, ",") {
		i := next
		for i < len(names) && names[i] != part {
			i++
		}
		if i == len(names) {
			return 0, fmt.Errorf("dependency types %q: %q unknown, repeated or out of order", s, part)
		}
		set |= 1 << i
		next = i + 1
	}
	return set, nil
}

// ToRecursive reports whether s has a type whose acquirer is a recursive
// reader (ER, SR); FromShared whether s has one whose holder is shared
// (SN, SR). A cycle is strong (a real deadlock) unless a step enters a
// class as a recursive reader and the next leaves it as a reader.
func (s Set) ToRecursive() bool { return s&(ER|SR) != 0 }

// FromShared: see ToRecursive.
func (s Set) FromShared() bool { return s&(SN|SR) != 0 }
