//go:build !lockdep_off

package locks_test

import (
	"fmt"
	"strings"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

// Two locks of one class held together need a nesting annotation: the
// validator cannot tell on its own that the second one is always taken
// inside the first.
func ExampleMutex_LockNested() {
	restore := lockdep.SetHandler(func(r *lockdep.Report) { fmt.Println(r.Kind, r.Classes) })
	defer restore()

	var dirKey lockdep.Key // one class for every directory
	parent := locks.NewMutex("example.dir", &dirKey)
	child := locks.NewMutex("example.dir", &dirKey)

	parent.Lock()
	child.Lock() // not annotated: reported
	child.Unlock()
	parent.Unlock()

	parent.Lock()
	child.LockNested(1) // annotated: the child is always taken inside its parent
	child.Unlock()
	parent.Unlock()
	fmt.Println("done")
	// Output:
	// recursive [example.dir]
	// done
}

// Subclass annotations say that two locks of a class nest, not in which
// order; two code paths that annotate the same pair the same way but lock
// it in opposite orders deadlock all the same. An instance order catches
// them.
func ExampleMutex_instanceOrder() {
	restore := lockdep.SetHandler(func(r *lockdep.Report) {
		name := func(ref *lockdep.LockRef) string { return strings.Split(ref.Instance, "@")[0] }
		fmt.Printf("%v: %s taken while holding %s\n", r.Kind, name(r.Lock), name(r.Held))
	})
	defer restore()

	var inodeKey lockdep.Key
	lockdep.SetInstanceOrder(&inodeKey, "example.inode", lockdep.OrderByValue)
	newInode := func(ino uint64) *locks.Mutex {
		m := locks.NewMutex(fmt.Sprintf("inode %d", ino), &inodeKey)
		m.LockdepMap().SetOrder(ino) // order by inode number, as XFS does
		return m
	}
	a, b := newInode(12), newInode(40)
	lockTwo := func(first, second *locks.Mutex) {
		first.LockNested(0)
		second.LockNested(1)
		second.Unlock()
		first.Unlock()
	}
	lockTwo(a, b) // in order
	lockTwo(b, a) // against it
	// Output:
	// order-violation: inode 12 taken while holding inode 40
}
