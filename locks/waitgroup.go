package locks

import "sync"

// WaitGroup is a sync.WaitGroup whose Wait is validated as a wait on an
// event that Done completes (see lockdep.Event): a goroutine that waits
// while holding a lock that a goroutine calling Done takes first (since
// its last wait) is a possible deadlock, reported even when this run does
// not hang. The class is the site of the first Add (or first use).
//
// A WaitGroup must not be copied after first use.
type WaitGroup struct {
	_  noCopy
	ev depEvent[waitGroupKind]
	wg sync.WaitGroup
}

// Add adds delta to the counter, as sync.WaitGroup.Add does.
func (wg *WaitGroup) Add(delta int) {
	wg.ev.resolve()
	wg.wg.Add(delta)
}

// Done decrements the counter by one: it completes the group's event.
func (wg *WaitGroup) Done() {
	wg.ev.complete()
	wg.wg.Done()
}

// Wait blocks until the counter is zero: a wait on the group's event.
func (wg *WaitGroup) Wait() {
	wg.ev.wait()
	wg.wg.Wait()
	wg.ev.endWait()
}

// Go calls f on a new goroutine and adds that task to the group, as
// sync.WaitGroup.Go does in newer Go releases.
func (wg *WaitGroup) Go(f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
}
