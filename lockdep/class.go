package lockdep

import (
	"fmt"
	"sync/atomic"

	"github.com/golockdep/lockdep/internal/deptype"
)

// Key identifies a lock class. The address of a Key variable is the
// identity: every lock created with the same key shares one class (per
// subclass). Declare keys as package-level variables, or allocate them and
// pass them to RegisterKey / UnregisterKey. Key has a non-zero size so that
// two keys never share an address.
type Key struct {
	_ byte
}

// MaxSubclass is the largest subclass a nesting annotation may use, as in
// the kernel (MAX_LOCKDEP_SUBCLASSES is 8).
const MaxSubclass = 7

// Mode is how a lock is held.
type Mode uint8

const (
	// Exclusive is a writer or a mutex holder.
	Exclusive Mode = iota
	// Shared is a non-recursive reader, like down_read or
	// sync.RWMutex.RLock: it blocks behind a waiting writer.
	Shared
	// RecursiveRead is a reader that gets in even while a writer waits, like
	// the kernel's read_lock on an rwlock_t.
	RecursiveRead
)

func (m Mode) String() string {
	switch m {
	case Exclusive:
		return "write"
	case Shared:
		return "read"
	case RecursiveRead:
		return "recursive-read"
	}
	return fmt.Sprintf("mode(%d)", uint8(m))
}

func (m Mode) reader() bool { return m != Exclusive }

// keyInfo is what a validator knows about one key.
type keyInfo struct {
	key     *Key
	name    string // set by RegisterKey or taken from the first lock
	dynamic bool   // registered with RegisterKey
	order   func(a, b *Map) int
	site    *siteInfo // a site class (a lock without a key): orders are learned
	event   bool      // an event class (event.go), set before its first class is made
	classes [MaxSubclass + 1]*class
}

// class is one node of the dependency graph: a (key, subclass) pair.
type class struct {
	v   *Validator
	id  uint32
	gen atomic.Uint64 // validator generation that created it; 0 once forgotten
	// root is the chain key of a blocking acquisition of this class with
	// nothing held, by mode: chainHash(0, id, mode, false), kept for the
	// outermost acquisition's path (indexed mode&3: no bounds check).
	root   [4]uint64
	name   string
	sub    uint8
	ki     *keyInfo
	after  []*edge // dependencies: this class held, then edge.to acquired
	before []*edge // reverse dependencies

	// ordered is true when the key carries an instance comparator; read on
	// the fast path without the graph lock.
	ordered atomic.Bool

	// Breadth-first search marks, per state (entered by a recursive read
	// or not); valid when equal to the validator's search epoch.
	mark   [2]uint64
	parent [2]*edge
	pstate [2]bool

	stat classStat // contention statistics, when enabled

	topo      int    // position in the topological order (order.go)
	orderMark uint64 // search mark of the order maintenance
}

// edge is a dependency from.class -> to.class: to was acquired while from
// was held.
type edge struct {
	from, to *class
	types    depTypes
	stack    []uintptr // where the edge was first recorded
	count    uint64    // how many times a validation saw it
	// For edges imported from other processes (Merger): the stack as
	// frames, and the processes that had the edge.
	frames  []Frame
	sources []string
	// tokens are the provisional holds that recorded it (hold.go);
	// confirmed is set once one of its holds ended as its goroutine's own.
	tokens    []*holdToken
	confirmed bool
}

// depTypes is a set of the kernel's four dependency types; its codec
// ("-(EN,SR)->") is internal/deptype's, shared with package reports.
type depTypes = deptype.Set

const (
	depEN = deptype.EN // exclusive holder -> non-recursive acquirer
	depER = deptype.ER // exclusive holder -> recursive reader
	depSN = deptype.SN // shared holder -> non-recursive acquirer
	depSR = deptype.SR // shared holder -> recursive reader
)

// depType computes the type of a dependency between a held lock and one
// being acquired.
func depType(held, next Mode) depTypes {
	switch {
	case !held.reader() && next != RecursiveRead:
		return depEN
	case !held.reader():
		return depER
	case next != RecursiveRead:
		return depSN
	}
	return depSR
}

// parseDepTypes reads the canonical form of a set of dependency types,
// "-(EN,SR)->".
func parseDepTypes(s string) (depTypes, error) { return deptype.Parse(s) }
