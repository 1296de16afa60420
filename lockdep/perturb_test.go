//go:build !lockdep_off

package lockdep_test

import (
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
)

// raceFill runs a lazy fill that two goroutines race for: the one holding
// b fills under b (b -> a), the other under c (c -> a); then the main
// goroutine nests a -> b (or a -> c with underC). The cycle exists only in
// runs where the goroutine holding b (or c) wins the race; a quiet run
// lets the same one win almost every time. It reports whether the
// validator saw the cycle.
func raceFill(t *testing.T, shuffle int64, underC bool) bool {
	r := newPrivRecorder(t, lockdep.Options{Shuffle: shuffle})
	var ka, kb, kc lockdep.Key
	a, b, c := r.v.NewMap("a", &ka), r.v.NewMap("b", &kb), r.v.NewMap("c", &kc)
	var mu sync.Mutex
	filled := false
	fill := func() {
		mu.Lock()
		first := !filled
		filled = true
		mu.Unlock()
		if first {
			a.Acquire(0, lockdep.Exclusive)
			a.Release()
		}
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		c.Acquire(0, lockdep.Exclusive)
		fill()
		c.Release()
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 3; i++ { // some work before it gets there
			c.Acquire(0, lockdep.Exclusive)
			c.Release()
		}
		b.Acquire(0, lockdep.Exclusive)
		fill()
		b.Release()
	}()
	wg.Wait()
	if underC {
		nest(a, c)
	} else {
		nest(a, b)
	}
	r.v.FlushPending()
	return len(r.kinds()) > 0
}

// TestShuffleDetection measures how often the race above is detected with
// and without schedule perturbation. It is a measurement, not a check:
// run it with LOCKDEP_MEASURE_SHUFFLE=N (runs per setting).
func TestShuffleDetection(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("LOCKDEP_MEASURE_SHUFFLE"))
	if n <= 0 {
		t.Skip("a measurement: set LOCKDEP_MEASURE_SHUFFLE=N to run it N times per setting")
	}
	for _, underC := range []bool{false, true} {
		quiet, shuffled := 0, 0
		for i := 0; i < n; i++ {
			if raceFill(t, 0, underC) {
				quiet++
			}
			if raceFill(t, int64(i+1), underC) {
				shuffled++
			}
		}
		winner := "b"
		if underC {
			winner = "c"
		}
		t.Logf("cycle needing the %s-holder to win: detected in %d of %d quiet runs, %d of %d runs with LOCKDEP_SHUFFLE=1..%d",
			winner, quiet, n, shuffled, n, n)
	}
}

// Bad LOCKDEP_HANG_TIMEOUT, LOCKDEP_SHUFFLE and LOCKDEP_FENCE values are
// named.
func TestEnvWaitOptions(t *testing.T) {
	t.Setenv("LOCKDEP_HANG_TIMEOUT", "soon")
	t.Setenv("LOCKDEP_SHUFFLE", "x")
	t.Setenv("LOCKDEP_FENCE", "no")
	_, bad := lockdep.EnvOptions()
	if len(bad) != 3 {
		t.Fatalf("want three complaints, got %q", bad)
	}
	t.Setenv("LOCKDEP_HANG_TIMEOUT", "off")
	t.Setenv("LOCKDEP_SHUFFLE", "42")
	t.Setenv("LOCKDEP_FENCE", "off")
	o, bad := lockdep.EnvOptions()
	if len(bad) != 0 || o.HangTimeout >= 0 || o.Shuffle != 42 {
		t.Fatalf("got %+v, %q", o, bad)
	}
}
