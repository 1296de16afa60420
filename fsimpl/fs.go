package fsimpl

import (
	"errors"
	"fmt"
	"sync"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/locks"
)

// ErrNotSupported is returned for operations a design does not have
// (reflink on ext4), as EOPNOTSUPP.
var ErrNotSupported = errors.New("operation not supported")

// ErrRange is an access outside the file.
var ErrRange = errors.New("offset beyond end of file")

// fsType holds the lock classes of one file system type.
type fsType struct {
	name    string
	cache   *cache.Keys
	iRwsem  lockdep.Key
	iLock   lockdep.Key
	mmapSem lockdep.Key
	dio     lockdep.Key // i_dio_count, the wait for direct I/O in flight
	sb      [sbLevels]lockdep.Key
	ilockNm string
}

var types = map[string]*fsType{}

func newType(name, ilock string) *fsType {
	t := &fsType{name: name, cache: cache.NewKeys(name), ilockNm: ilock}
	types[name] = t
	return t
}

func init() {
	newType("ext4", "i_data_sem")
	newType("xfs", "ILOCK")
	newType("fuse-dax", "i_data_sem")
	newType("bcachefs", "i_data_sem")
	cache.AddRegistrar(registerKeys)
}

// registerKeys names the classes of this package after a validator reset.
func registerKeys() {
	for _, t := range types {
		lockdep.RegisterKey(&t.iRwsem, t.name+":i_rwsem")
		lockdep.RegisterKey(&t.iLock, t.name+":"+t.ilockNm)
		lockdep.RegisterKey(&t.mmapSem, t.name+":i_mmap_sem")
		lockdep.RegisterKey(&t.dio, t.name+":i_dio_count")
		for i := range t.sb {
			name := sbNames[i]
			if i == sbFreezeFS && t.name == "ext4" {
				name = "jbd2_handle"
			}
			lockdep.RegisterKey(&t.sb[i], t.name+":"+name)
		}
	}
}

// SetInstanceOrders declares the two-inode instance orders in the default
// validator: i_rwsem and invalidate_lock by address (the VFS's
// lock_two_nondirectories and filemap_invalidate_lock_two), ILOCK by
// inode number (xfs_lock_two_inodes). These are per-class comparison
// functions, as kernel lockdep has had since 6.4 (lock_set_cmp_fn, used by
// bcachefs's btree node locks); the kernel sets none on these locks, so
// there they are validated by their subclass annotations alone.
func SetInstanceOrders() {
	for _, t := range types {
		lockdep.SetInstanceOrder(&t.iRwsem, t.name+":i_rwsem", lockdep.OrderByAddress)
		lockdep.SetInstanceOrder(&t.cache.Invalidate, t.name+":invalidate_lock", lockdep.OrderByAddress)
		lockdep.SetInstanceOrder(&t.iLock, t.name+":"+t.ilockNm, lockdep.OrderByValue)
	}
}

// ClearInstanceOrders removes them again (lockdep.Reset keeps them), for
// a run with subclass-only validation: what the kernel does for these
// locks, and what lockdep before 6.4 did for every lock.
func ClearInstanceOrders() {
	for _, t := range types {
		lockdep.SetInstanceOrder(&t.iRwsem, t.name+":i_rwsem", nil)
		lockdep.SetInstanceOrder(&t.cache.Invalidate, t.name+":invalidate_lock", nil)
		lockdep.SetInstanceOrder(&t.iLock, t.name+":"+t.ilockNm, nil)
	}
}

// FS is one mounted file system of some design.
type FS struct {
	W      *cache.World
	Design Design
	typ    *fsType
	sb     [sbLevels]locks.RWSem // freeze protection levels

	mu     sync.Mutex // leaf
	nfiles uint64
	inodes []*Inode // guarded by mu
}

// Mount returns a new, empty file system of the named design.
func Mount(w *cache.World, design string) (*FS, error) {
	d, err := lookupDesign(design)
	if err != nil {
		return nil, err
	}
	fs := &FS{W: w, Design: d, typ: types[d.Kind]}
	fs.initSB()
	return fs, nil
}

// Create creates an empty file.
func (fs *FS) Create() *Inode {
	fs.mu.Lock()
	n := fs.nfiles
	fs.nfiles++
	fs.mu.Unlock()
	ino := fs.W.NextIno()
	if fs.Design.Kind == "xfs" {
		// XFS inode numbers encode the allocation group: files are
		// spread over four AGs, so inode-number order is not creation
		// order.
		ino = (n%4)<<16 | (n/4 + 128)
	}
	ip := &Inode{FS: fs, Ino: ino, ext: make(map[uint64]extent)}
	ip.dioCond.L = &ip.dioMu
	ip.IRwsem.Init(fmt.Sprintf("%s:i_rwsem(ino %d)", fs.typ.name, ino), &fs.typ.iRwsem)
	ip.ILock.Init(fmt.Sprintf("%s:%s(ino %d)", fs.typ.name, fs.typ.ilockNm, ino), &fs.typ.iLock)
	if m := ip.ILock.LockdepMap(); m != nil { // nil when built with lockdep_off
		m.SetOrder(ino)
	}
	ip.IMmapSem.Init(fmt.Sprintf("%s:i_mmap_sem(ino %d)", fs.typ.name, ino), &fs.typ.mmapSem)
	fs.W.Track(&ip.IRwsem)
	fs.W.Track(&ip.ILock)
	fs.W.Track(&ip.IMmapSem)
	ip.dioDep = lockdep.NewMap(fmt.Sprintf("%s:i_dio_count(ino %d)", fs.typ.name, ino), &fs.typ.dio)
	ip.Mapping = cache.NewMapping(fs.W, ino, fs.typ.cache, newAops(ip), fs.Design.Guard)
	ip.Mapping.RecursionAware = fs.Design.RecursionAware
	ip.Mapping.TrylockUnderBlock = fs.Design.TrylockUnderBlock
	ip.Mapping.NoSizeRecheck = fs.Design.NoFaultSizeRecheck
	fs.mu.Lock()
	fs.inodes = append(fs.inodes, ip)
	fs.mu.Unlock()
	return ip
}

// Mmap maps n pages of ip from page pgoff into the task's process.
func (fs *FS) Mmap(t *cache.Task, ip *Inode, pgoff, n uint64, writable bool) uint64 {
	if fs.Design.Kind == "fuse-dax" {
		return t.MM.Mmap(ip.Mapping, daxvmops{ip}, pgoff, n, writable)
	}
	return t.MM.Mmap(ip.Mapping, vmops{ip}, pgoff, n, writable)
}
