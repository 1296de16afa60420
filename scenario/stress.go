package scenario

import (
	"errors"
	"fmt"
	"math/rand"
	"sync"
	"sync/atomic"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/fsimpl"
)

// Stress is a scenario's random workload: which operations, over how many
// files. Workers are threads of two processes; each maps every file.
type Stress struct {
	Files   int
	Ops     []string
	Direct  bool // fill the files with direct writes (nothing cached)
	Workers int  // default 4
	// Skip, if set, says why the scenario runs no random workload: its
	// script is the whole test.
	Skip string
}

// filePages is how many pages each stress file starts with.
const filePages = 8

type worker struct {
	e    *Env
	t    *cache.Task
	rng  *rand.Rand
	maps map[*fsimpl.Inode]uint64
	fs   []*fsimpl.Inode
}

func runStress(e *Env, st Stress) error {
	if st.Skip != "" || len(st.Ops) == 0 {
		e.Note("no stress workload: %s", st.Skip)
		return nil
	}
	if st.Workers == 0 {
		st.Workers = 4
	}
	if st.Files == 0 {
		st.Files = 2
	}
	setup := e.Task("stress-setup")
	var files []*fsimpl.Inode
	for i := 0; i < st.Files; i++ {
		f := e.FS.Create()
		fill := e.Fill
		if st.Direct {
			fill = e.FillDirect
		}
		if err := fill(setup, f, 0, filePages); err != nil {
			return err
		}
		files = append(files, f)
	}
	var procs [2]*cache.Task
	procs[0], procs[1] = e.Task("stress-p0"), e.Task("stress-p1")
	ws := make([]*worker, st.Workers)
	for i := range ws {
		t := e.Thread(procs[i%2], fmt.Sprintf("%s-t%d", procs[i%2].Name, i))
		w := &worker{e: e, t: t, rng: newRand(e.Seed, i), maps: map[*fsimpl.Inode]uint64{}, fs: files}
		if i < 2 {
			for _, f := range files {
				w.maps[f] = e.FS.Mmap(t, f, 0, maxPages, true)
			}
		}
		ws[i] = w
	}
	for i := range ws { // threads share their process's mappings
		if i >= 2 {
			ws[i].maps = ws[i-2].maps
		}
		e.Buf(ws[i].t)
	}
	e.W.Sched.SetYield(true)
	defer e.W.Sched.SetYield(false)
	var wg sync.WaitGroup
	var done, failed atomic.Int64
	errs := make([]error, len(ws))
	per := (e.Ops + len(ws) - 1) / len(ws)
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < per; k++ {
				op := st.Ops[w.rng.Intn(len(st.Ops))]
				err := e.W.Run(func() error { return w.do(op) })
				done.Add(1)
				if err != nil {
					failed.Add(1)
				}
				if err != nil && !expected(err) {
					errs[i] = fmt.Errorf("%s: %w", op, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	e.Note("stress: %d operations by %d threads of 2 processes over %d files (%d ended in an expected error: SIGBUS, EOPNOTSUPP, range, abort)",
		done.Load(), len(ws), len(files), failed.Load())
	return errors.Join(errs...)
}

// expected errors are the ones a random workload runs into by design,
// including a bcachefs direct write that gave up retrying after its fault
// kept finding the other file's add state busy (the kernel retries without
// bound; the model bounds it, and under heavy contention may reach it).
func expected(err error) bool {
	var a *cache.Abort
	var busy *cache.AddBusy
	return errors.As(err, &a) || errors.Is(err, cache.ErrSigbus) || errors.Is(err, cache.ErrFault) ||
		errors.Is(err, fsimpl.ErrRange) || errors.Is(err, fsimpl.ErrNotSupported) || errors.As(err, &busy)
}

func (w *worker) do(op string) error {
	e, t, r := w.e, w.t, w.rng
	f := w.fs[r.Intn(len(w.fs))]
	g := w.fs[r.Intn(len(w.fs))]
	idx := uint64(r.Intn(filePages))
	n := uint64(1 + r.Intn(3))
	buf := e.Buf(t)
	fs := e.FS
	switch op {
	case "read":
		return fs.Read(t, f, idx, n, buf)
	case "write":
		return fs.Write(t, f, idx, n, e.Fresh(t, f, idx, n))
	case "write-from-mmap":
		// The user buffer maps g, possibly the file being written.
		return fs.Write(t, f, idx, n, w.maps[g]+uint64(r.Intn(filePages)))
	case "load":
		_, err := t.MM.Load(t, w.maps[f]+idx)
		return err
	case "store":
		return t.MM.Store(t, w.maps[f]+idx, e.W.Oracle.NewStamp(f.Ino, idx))
	case "dioread":
		return fs.DIORead(t, f, idx, n, buf)
	case "diowrite":
		return fs.DIOWrite(t, f, idx, n, e.Fresh(t, f, idx, n))
	case "diowrite-same-file":
		// The user buffer maps pages [0, 4) of the file being written
		// at [4, 8): get_user_pages faults on the same file.
		return fs.DIOWrite(t, f, 4+idx%2, 1+n%2, w.maps[f]+idx%2)
	case "diowrite-other-file":
		// The user buffer maps g, which may be the file being written.
		return fs.DIOWrite(t, f, 4+idx%2, 1+n%2, w.maps[g]+idx%2)
	case "writeback":
		fs.Writeback(t, f)
		return nil
	case "reclaim":
		fs.Reclaim(t)
		return nil
	case "freeze":
		fs.Freeze(t)
		return nil
	case "punch":
		return fs.Fallocate(t, f, fsimpl.PunchHole, idx, n)
	case "zero":
		return fs.Fallocate(t, f, fsimpl.ZeroRange, idx, n)
	case "collapse":
		return fs.Fallocate(t, f, fsimpl.CollapseRange, idx, 1)
	case "insert":
		if f.Size()+1 > maxPages {
			return nil
		}
		return fs.Fallocate(t, f, fsimpl.InsertRange, idx, 1)
	case "truncate":
		return fs.Truncate(t, f, uint64(r.Intn(filePages+1)))
	case "reflink":
		_, err := fs.Remap(t, f, idx, g, uint64(r.Intn(filePages)), n, false)
		return err
	case "dedupe":
		_, err := fs.Remap(t, f, idx, g, idx, n, true)
		return err
	case "exchange":
		return fs.ExchangeRange(t, f, g, idx, 1)
	case "copy":
		if f == g {
			return nil
		}
		return fs.CopyFileRange(t, f, idx, g, uint64(r.Intn(filePages)), n)
	}
	return fmt.Errorf("unknown stress op %q", op)
}
