package store

import (
	"fmt"
	"sync"
	"testing"
)

func TestCache(t *testing.T) {
	c := New()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := fmt.Sprint(i % 17)
				c.Set(k, i)
				c.Get(k)
			}
		}(g)
	}
	wg.Wait()
	if c.Len() != 17 {
		t.Fatalf("len %d", c.Len())
	}
}

func TestSharded(t *testing.T) {
	s := NewSharded()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				s.Put(fmt.Sprint(g, i), i)
				if i%10 == 0 {
					s.Keys()
				}
			}
		}(g)
	}
	wg.Wait()
	if n := len(s.Keys()); n != 400 {
		t.Fatalf("%d keys", n)
	}
}

func TestTransfer(t *testing.T) {
	as := make([]*Account, 10)
	for i := range as {
		as[i] = &Account{ID: i, Balance: 100}
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				Transfer(as[(i+g)%10], as[(i*7+g+1)%10], 1)
			}
		}(g)
	}
	wg.Wait()
	sum := 0
	for _, a := range as {
		sum += a.Balance
	}
	if sum != 1000 {
		t.Fatalf("sum %d", sum)
	}
}

func TestQueue(t *testing.T) {
	q := NewQueue()
	go func() {
		for i := 0; i < 100; i++ {
			q.Push(i)
		}
	}()
	for i := 0; i < 100; i++ {
		if v := q.Pop(); v != i {
			t.Fatalf("got %d want %d", v, i)
		}
	}
}

func TestCommitFromAnotherGoroutine(t *testing.T) {
	s := &Store{}
	for i := 0; i < 20; i++ {
		tx := s.Begin()
		done := make(chan struct{})
		go func() {
			tx.Commit(i)
			close(done)
		}()
		<-done
	}
	if s.data != 19 {
		t.Fatalf("data %d", s.data)
	}
}
