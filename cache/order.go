package cache

import (
	"fmt"
	"strings"

	"github.com/golockdep/lockdep/lockdep"
)

// LockOrder is the order of this package's lock classes, outer first, as
// data: the class names a live graph may contain, by base name (without
// the file system prefix and the "/N" subclass). Every dependency the
// correct designs create must go down this list; two locks of one base
// name nest only under a subclass or instance-order annotation.
var LockOrder = []string{
	"pagecache_block", // bcachefs: a direct write holds block across gup
	"mmap_lock",       // faults (filemap_fault, page_mkwrite, gup)
	"pagecache_add",   // bcachefs: faults take add under mmap_lock
	"invalidate_lock",
	"fs_reclaim", // allocations that may recurse into the file system (reclaim.go)
	"page",
	"i_mmap_rwsem", // unmap_mapping_range, page_mkclean
	"i_pages",      // the page index: innermost
}

// BaseName strips a class name to the name LockOrder uses:
// "xfs:invalidate_lock/1" becomes "invalidate_lock".
func BaseName(class string) string {
	if i := strings.LastIndexByte(class, '/'); i >= 0 {
		class = class[:i]
	}
	if i := strings.IndexByte(class, ':'); i >= 0 {
		class = class[i+1:]
	}
	if i := strings.IndexByte(class, '('); i >= 0 {
		class = class[:i]
	}
	return class
}

// CheckOrder returns a description of every edge that goes against order
// (outer first). Edges between classes order does not name are ignored.
func CheckOrder(order []string, edges []lockdep.EdgeInfo) []string {
	rank := make(map[string]int, len(order))
	for i, n := range order {
		rank[n] = i
	}
	var bad []string
	for _, e := range edges {
		f, okf := rank[BaseName(e.From)]
		t, okt := rank[BaseName(e.To)]
		if !okf || !okt || f < t {
			continue
		}
		if f == t && BaseName(e.From) == BaseName(e.To) {
			continue // same lock nested under an annotation
		}
		bad = append(bad, fmt.Sprintf("%s %s %s goes against the documented order", e.From, e.Types, e.To))
	}
	return bad
}
