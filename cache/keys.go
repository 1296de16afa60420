package cache

import (
	"sync"

	"github.com/golockdep/lockdep/lockdep"
)

// Keys is the set of lock classes of one kind of mapping (one per file
// system type, as the kernel keys invalidate_lock by s_type).
type Keys struct {
	Name       string // the file system type, prefixed to class names
	Invalidate lockdep.Key
	IMmap      lockdep.Key
	Page       lockdep.Key
	IPages     lockdep.Key
	// bcachefs's pagecache add/block lock: one class per state.
	PagecacheAdd, PagecacheBlock lockdep.Key
}

// mmapKey is the class of every process's mmap_lock.
var mmapKey lockdep.Key

var (
	keysMu     sync.Mutex // leaf; guards allKeys and registrars
	allKeys    []*Keys
	registrars []func()
)

// AddRegistrar adds a function that RegisterKeys calls, for packages that
// build on this one (the file systems' i_rwsem and ILOCK classes).
func AddRegistrar(f func()) {
	keysMu.Lock()
	registrars = append(registrars, f)
	keysMu.Unlock()
}

// NewKeys returns the classes of a kind of mapping named name. Call it
// once per file system type, at package initialisation.
func NewKeys(name string) *Keys {
	k := &Keys{Name: name}
	keysMu.Lock()
	allKeys = append(allKeys, k)
	keysMu.Unlock()
	return k
}

// RegisterKeys names every class of the model in the default validator.
// Names do not survive lockdep.Reset, so NewWorld calls it; instance names
// can then carry the inode and page without renaming the class. Two pages of
// one class are ordered by index, then inode number (LockTwoPages, after
// vfs_lock_two_folios): the page class's instance order (the kernel's
// lock_set_cmp_fn) checks every nesting of two pages against it.
func RegisterKeys() {
	lockdep.RegisterKey(&mmapKey, "mmap_lock")
	lockdep.RegisterKey(&fsReclaimKey, "fs_reclaim")
	keysMu.Lock()
	ks := append([]*Keys(nil), allKeys...)
	rs := append([]func(){}, registrars...)
	keysMu.Unlock()
	for _, f := range rs {
		f()
	}
	for _, k := range ks {
		lockdep.RegisterKey(&k.Invalidate, k.Name+":invalidate_lock")
		lockdep.RegisterKey(&k.IMmap, k.Name+":i_mmap_rwsem")
		lockdep.RegisterKey(&k.Page, k.Name+":page")
		lockdep.RegisterKey(&k.IPages, k.Name+":i_pages")
		lockdep.RegisterKey(&k.PagecacheAdd, k.Name+":pagecache_add")
		lockdep.RegisterKey(&k.PagecacheBlock, k.Name+":pagecache_block")
		lockdep.SetInstanceOrder(&k.Page, k.Name+":page", lockdep.OrderByValue)
	}
}
