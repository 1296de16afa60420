package scenario

import (
	"fmt"
	"math/rand"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/fsimpl"
)

// Env is what a script works with: the world, the mounted file system and
// helpers for processes, files and data.
type Env struct {
	W     *cache.World
	FS    *fsimpl.FS
	Seed  int64
	Ops   int
	notes []string
	anon  map[*cache.Task]uint64
}

// Note adds a line to the result.
func (e *Env) Note(format string, args ...any) {
	e.notes = append(e.notes, fmt.Sprintf(format, args...))
}

// Task returns a new process with one task.
func (e *Env) Task(name string) *cache.Task {
	return cache.NewTask(e.W, name, cache.NewMM(e.W, name))
}

// Thread returns another task of t's process.
func (e *Env) Thread(t *cache.Task, name string) *cache.Task { return cache.NewTask(e.W, name, t.MM) }

// Buf returns t's anonymous buffer of maxPages pages (mapped on first use;
// each page faults on its first touch).
func (e *Env) Buf(t *cache.Task) uint64 {
	if v, ok := e.anon[t]; ok {
		return v
	}
	v := t.MM.Mmap(nil, nil, 0, maxPages, true)
	e.anon[t] = v
	return v
}

const maxPages = 16

// Fresh puts new data for file ip pages [idx, idx+n) in t's buffer, as a
// program prepares what it writes, and returns the buffer.
func (e *Env) Fresh(t *cache.Task, ip *fsimpl.Inode, idx, n uint64) uint64 {
	b := e.Buf(t)
	for i := uint64(0); i < n; i++ {
		_ = t.MM.Store(t, b+i, e.W.Oracle.NewStamp(ip.Ino, idx+i))
	}
	return b
}

// Fill writes new data to pages [idx, idx+n) of ip with write(2).
func (e *Env) Fill(t *cache.Task, ip *fsimpl.Inode, idx, n uint64) error {
	return e.FS.Write(t, ip, idx, n, e.Fresh(t, ip, idx, n))
}

// FillDirect writes new data with O_DIRECT, leaving nothing cached.
func (e *Env) FillDirect(t *cache.Task, ip *fsimpl.Inode, idx, n uint64) error {
	return e.FS.DIOWrite(t, ip, idx, n, e.Fresh(t, ip, idx, n))
}

// ReadBack reads pages [idx, idx+n) of ip with read(2); the oracle checks
// them.
func (e *Env) ReadBack(t *cache.Task, ip *fsimpl.Inode, idx, n uint64) error {
	return e.FS.Read(t, ip, idx, n, e.Buf(t))
}

func newRand(seed int64, i int) *rand.Rand { return rand.New(rand.NewSource(seed*7919 + int64(i))) }
