package locks

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitUntil polls cond until it holds, failing after five seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestRWSemReaderBlocksBehindWaitingWriter: with a reader in and a writer
// waiting, a new reader of an RWSem waits (rw_semaphore is
// writer-preferring), its fast-path add is taken back, and the writer gets
// the lock before it.
func TestRWSemReaderBlocksBehindWaitingWriter(t *testing.T) {
	s := NewRWSem("policy.sem", nil)
	s.DownRead()
	var seq atomic.Int32
	var wroteAt, readAt atomic.Int32
	wDone, rDone := make(chan struct{}), make(chan struct{})
	go func() {
		s.DownWrite()
		wroteAt.Store(seq.Add(1))
		s.UpWrite()
		close(wDone)
	}()
	waitUntil(t, "the writer waits", func() bool { return s.WaitingWriters() == 1 })
	tried := make(chan bool)
	go func() {
		ok := s.DownReadTrylock()
		if ok {
			s.UpRead()
		}
		tried <- ok
	}()
	if <-tried {
		t.Fatal("DownReadTrylock succeeded while a writer waits")
	}
	go func() {
		s.DownRead()
		readAt.Store(seq.Add(1))
		s.UpRead()
		close(rDone)
	}()
	select {
	case <-rDone:
		t.Fatal("a new reader got in while a writer waits")
	case <-time.After(50 * time.Millisecond):
	}
	if n := s.c.state.Load() & rwReaders; n != 1 {
		t.Errorf("readers counted while the new reader waits: %d, want 1 (its add taken back)", n)
	}
	s.UpRead()
	for _, c := range []chan struct{}{wDone, rDone} {
		select {
		case <-c:
		case <-time.After(5 * time.Second):
			t.Fatal("the writer or the second reader never got the semaphore")
		}
	}
	if w, r := wroteAt.Load(), readAt.Load(); w != 1 || r != 2 {
		t.Errorf("writer got in %d-th and the new reader %d-th; want the writer first", w, r)
	}
	if s.IsLocked() || s.WaitingWriters() != 0 {
		t.Errorf("state %#x after everyone left, want 0", s.c.state.Load())
	}
}

// TestRWLockReaderPassesWaitingWriter: with a reader in and a writer
// waiting, a new reader of an RWLock (another goroutine, not a recursive
// read) gets in at once; the writer gets the lock when both readers leave.
func TestRWLockReaderPassesWaitingWriter(t *testing.T) {
	l := NewRWLock("policy.rwlock", nil)
	l.ReadLock()
	wDone := make(chan struct{})
	go func() {
		l.WriteLock()
		l.WriteUnlock()
		close(wDone)
	}()
	waitUntil(t, "the writer waits", func() bool { return l.WaitingWriters() == 1 })
	time.Sleep(20 * time.Millisecond) // let the writer go to sleep
	in, release, out := make(chan bool), make(chan struct{}), make(chan struct{})
	go func() {
		ok := l.ReadTryLock()
		if ok {
			l.ReadUnlock()
		}
		l.ReadLock()
		in <- ok
		<-release
		l.ReadUnlock()
		close(out)
	}()
	select {
	case ok := <-in:
		if !ok {
			t.Error("ReadTryLock failed while only a reader holds and a writer waits")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a new reader of an RWLock blocked behind a waiting writer")
	}
	select {
	case <-wDone:
		t.Fatal("the writer got in while two readers hold the lock")
	default:
	}
	l.ReadUnlock()
	close(release)
	<-out
	select {
	case <-wDone:
	case <-time.After(5 * time.Second):
		t.Fatal("the writer was not woken when the last reader left")
	}
	if s := l.c.state.Load(); s != 0 {
		t.Errorf("state %#x after everyone left, want 0", s)
	}
}

// TestRWCoreWakeAll: readers and writers that went to sleep behind a
// writer all get the lock once it is released, under both policies.
func TestRWCoreWakeAll(t *testing.T) {
	for _, prefer := range []bool{false, true} {
		var c rwcore
		c.lock()
		var wg sync.WaitGroup
		var readers, writers atomic.Int32
		for i := 0; i < 8; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				c.rlock(prefer)
				readers.Add(1)
				time.Sleep(time.Millisecond)
				c.runlock()
			}()
			if i%2 == 0 {
				go func() {
					defer wg.Done()
					c.lock()
					writers.Add(1)
					c.unlock()
				}()
			} else {
				wg.Done()
			}
		}
		waitUntil(t, "everyone sleeps", func() bool { return c.rsleep.Load() == 8 && c.wsleep.Load() == 4 })
		c.unlock()
		waitOrDump(t, &wg, rwTimeout)
		if readers.Load() != 8 || writers.Load() != 4 {
			t.Errorf("readerPrefer=%v: %d readers and %d writers got in, want 8 and 4", prefer, readers.Load(), writers.Load())
		}
		if s := c.state.Load(); s != 0 {
			t.Errorf("readerPrefer=%v: state %#x after everyone left, want 0", prefer, s)
		}
	}
}
