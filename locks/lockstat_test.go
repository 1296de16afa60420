//go:build !lockdep_off

package locks_test

import (
	"sync"
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/lockdep/lockdeptest"
	"github.com/golockdep/lockdep/locks"
)

var statKey, statSemKey lockdep.Key

func TestLockStats(t *testing.T) {
	lockdeptest.Capture(t)
	lockdep.EnableLockStats(true)
	t.Cleanup(func() { lockdep.EnableLockStats(false) })

	m := locks.NewMutex("stat.mutex", &statKey)
	s := locks.NewRWSem("stat.sem", &statSemKey)
	m.Lock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.Lock() // waits: a contention
		m.Unlock()
	}()
	time.Sleep(20 * time.Millisecond)
	m.Unlock()
	wg.Wait()
	s.DownRead()
	s.UpRead()

	byClass := map[string]lockdep.LockStat{}
	for _, ls := range lockdep.LockStats() {
		key := ls.Class
		if ls.Read {
			key += "/read"
		}
		byClass[key] = ls
	}
	ms := byClass["stat.mutex"]
	if ms.Acquisitions != 2 || ms.Contentions != 1 {
		t.Fatalf("mutex stats %+v: want 2 acquisitions, 1 contention", ms)
	}
	if ms.WaitMax <= 0 || ms.WaitTotal < ms.WaitMax || ms.HoldMax < ms.HoldMin || ms.HoldTotal <= 0 {
		t.Fatalf("mutex times %+v", ms)
	}
	if len(ms.Points) != 1 || ms.Points[0].Count != 1 {
		t.Fatalf("contention points %+v", ms.Points)
	}
	if rs := byClass["stat.sem/read"]; rs.Acquisitions != 1 || rs.Contentions != 0 {
		t.Fatalf("read-side stats %+v", rs)
	}
}

var nestedPageKey lockdep.Key

func TestPageLockNestedAndInitIn(t *testing.T) {
	var got []*lockdep.Report
	v := lockdep.MustNew(lockdep.Options{Handler: func(r *lockdep.Report) { got = append(got, r) }})
	var p1, p2 locks.PageLock
	p1.InitIn(v, "page", &nestedPageKey)
	p2.InitIn(v, "page", &nestedPageKey)
	p1.Lock()
	p2.LockNested(1) // annotated: no recursion report
	p2.Unlock()
	p1.Unlock()
	if len(got) != 0 {
		t.Fatalf("nested page locks reported: %v", got[0])
	}
	p1.Lock()
	p2.Lock() // not annotated
	p2.Unlock()
	p1.Unlock()
	if len(got) != 1 || got[0].Kind != lockdep.Recursive {
		t.Fatalf("want one recursive report in the private validator, got %d", len(got))
	}
	if lockdep.ReportCount() != 0 && len(lockdep.Reports()) > 0 && lockdep.Reports()[len(lockdep.Reports())-1].Lock.Class == "page" {
		t.Fatal("the report went to the default validator")
	}
}
