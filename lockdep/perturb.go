package lockdep

import (
	"runtime"
	"sync/atomic"
	"time"
)

// Schedule perturbation (Options.Shuffle, LOCKDEP_SHUFFLE). The validator
// predicts deadlocks from the orders a run shows it, and a quiet run shows
// few: the same goroutine wins every race, a buffered channel never fills,
// a TryLock always succeeds. With Shuffle set, every blocking acquisition
// and every wait first draws from a generator seeded with Shuffle: half
// the time it goes on, a quarter of the time it yields the processor, and
// a quarter of the time it sleeps up to 100 microseconds. Each run with a
// different seed explores other interleavings; the seed is printed (by
// EnvOptions' caller) so that a run can be repeated, as far as the Go
// scheduler repeats itself.

var perturbStep atomic.Uint64

func (v *Validator) perturb() {
	x := uint64(v.opts.Shuffle) + perturbStep.Add(1)*fibHash
	x ^= x >> 31
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 29
	switch x & 3 {
	case 0:
		runtime.Gosched()
	case 1:
		time.Sleep(time.Duration(x>>40%100) * time.Microsecond)
	}
}
