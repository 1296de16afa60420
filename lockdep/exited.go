package lockdep

import (
	"bytes"
	"fmt"
	"runtime"
)

// CheckExited looks for goroutines that ended while holding locks: Go has
// no hook at goroutine exit, so this compares the goroutines that hold
// locks with the ones still alive. Each dead holder gets a HeldAtExit
// report and its state is dropped. It returns the number found. It is
// called by package lockdeptest at the end of every test; call it yourself
// at quiet points of a long-running program.
func (v *Validator) CheckExited() int {
	if !Enabled {
		return 0
	}
	// One at a time: two calls could both take an exited goroutine's task
	// for theirs to free, the second after the first freed it and a sweep
	// gave it to a new goroutine.
	v.exitedMu.Lock()
	defer v.exitedMu.Unlock()
	// The goroutines are listed after the tasks: a task's owner that is
	// missing from the list has exited. Listed first, a goroutine born
	// between the two could have been taken for a dead one. A task that
	// changed hands since, or went inactive (a sweep may hand it to a new
	// goroutine at any moment), is left alone: only an active task of an
	// exited owner is certainly no one else's.
	type listed struct {
		t  *task
		id int64
	}
	var tasks []listed
	v.tasks.each(func(t *task) { tasks = append(tasks, listed{t, t.owner.Load()}) })
	if len(tasks) == 0 {
		return 0
	}
	alive := liveGoroutines()
	var dead []*task
	for _, l := range tasks {
		t := l.t
		if alive[l.id] || t.owner.Load() != l.id || t.active.Load() == 0 {
			continue
		}
		_, held := t.visibleHeld()
		if len(held) > 0 {
			dead = append(dead, t)
		} else {
			t.observe()
			v.tasks.free(t) // exited holding nothing: give the slot back
		}
	}
	found := 0
	for _, t := range dead {
		// The owner is gone, so no one else touches this task: apply the
		// releases other goroutines queued for it.
		t.observe()
		v.applyRemote(t)
		id, held := heldSnapshot(t)
		if len(held) == 0 {
			v.tasks.free(t)
			continue
		}
		found++
		// It never released them: what the holds taught was real.
		for i := 0; i < t.depth; i++ {
			if tk := t.held[i].token; tk != nil {
				t.held[i].token = nil
				v.endHold(tk, true)
			}
		}
		r := &Report{Kind: HeldAtExit, Goroutine: id}
		for i := range held {
			r.HeldLocks = append(r.HeldLocks, refOf(&held[i]))
			r.Classes = append(r.Classes, held[i].class.name)
		}
		r.Message = fmt.Sprintf("goroutine %d ended while holding %d lock(s); nothing will ever release them", id, len(held))
		if len(held) > 0 {
			r.Lock = &r.HeldLocks[len(held)-1]
		}
		v.report(r)
		// The owner is gone, so no one else writes this task: forget it.
		v.tasks.free(t)
	}
	return found
}

// liveGoroutines returns the ids of every goroutine, from runtime.Stack.
func liveGoroutines() map[int64]bool {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	alive := make(map[int64]bool)
	for _, line := range bytes.Split(buf, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("goroutine ")) {
			if id := parseGoid(line); id > 0 {
				alive[id] = true
			}
		}
	}
	return alive
}

// CheckExited checks the default validator; see Validator.CheckExited.
func CheckExited() int { return std.CheckExited() }
