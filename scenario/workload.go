package scenario

import (
	"fmt"

	"github.com/golockdep/lockdep/cache"
	"github.com/golockdep/lockdep/fsimpl"
)

// Workload runs the random stress workload of scenario name, ops
// operations, on a fresh file system of its design, and nothing else: no
// script, no watchdog, no validator set-up. It works with the validator
// compiled out too, which is what the benchmarks compare against.
func Workload(name string, seed int64, ops int) error {
	s, err := Lookup(name)
	if err != nil {
		return err
	}
	w := cache.NewWorld(cache.Options{})
	fs, err := fsimpl.Mount(w, s.Design)
	if err != nil {
		return fmt.Errorf("scenario %s: %w", name, err)
	}
	e := &Env{W: w, FS: fs, Seed: seed, Ops: ops, anon: map[*cache.Task]uint64{}}
	if err := runStress(e, s.Stress); err != nil {
		return fmt.Errorf("scenario %s: %w", name, err)
	}
	if c := w.Oracle.Counts(); c != (cache.Counts{}) {
		return fmt.Errorf("scenario %s: the data oracle found problems: %+v", name, c)
	}
	return nil
}
