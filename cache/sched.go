package cache

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Sched holds the named pause points that make race windows
// deterministic. Model code calls Point(name) where a race window opens;
// a scenario arms a Gate on the name to stop the next goroutine that gets
// there until the scenario releases it, or Watches the name to learn that
// some goroutine passed it. Unarmed points cost one atomic load, plus the
// progress count the watchdog reads.
type Sched struct {
	progress atomic.Uint64
	narmed   atomic.Int32
	// yield makes every point a scheduling point (runtime.Gosched), so a
	// stress run interleaves goroutines inside the race windows even on
	// few cores.
	yield atomic.Bool

	mu      sync.Mutex // leaf
	gates   map[string]*Gate
	watches map[string][]chan struct{}
}

// Gate stops one goroutine at a pause point. Its channels are left alone
// by lockdepd test (the directive): a goroutine stopped at a gate may hold
// locks of a class the scenario takes before it releases the gate, on
// other objects by construction.
type Gate struct {
	Name    string
	reached chan struct{} //lockdepd:ignore
	release chan struct{} //lockdepd:ignore
	once    sync.Once
}

func newSched() *Sched {
	return &Sched{gates: make(map[string]*Gate), watches: make(map[string][]chan struct{})}
}

// Progress counts points passed and operations done, for the watchdog.
func (s *Sched) Progress() uint64 { return s.progress.Load() }

// tick records progress without a named point.
func (s *Sched) tick() { s.progress.Add(1) }

// Point is a named pause point.
func (s *Sched) Point(name string) {
	s.progress.Add(1)
	if s.yield.Load() {
		runtime.Gosched()
	}
	if s.narmed.Load() == 0 {
		return
	}
	s.mu.Lock()
	for _, c := range s.watches[name] {
		close(c)
	}
	if _, ok := s.watches[name]; ok {
		delete(s.watches, name)
		s.narmed.Add(-1)
	}
	g := s.gates[name]
	if g != nil {
		delete(s.gates, name)
		s.narmed.Add(-1)
	}
	s.mu.Unlock()
	if g != nil {
		close(g.reached)
		<-g.release
		s.progress.Add(1)
	}
}

// SetYield turns scheduling points on or off.
func (s *Sched) SetYield(on bool) { s.yield.Store(on) }

// Arm stops the next goroutine that reaches point name.
func (s *Sched) Arm(name string) *Gate {
	g := &Gate{Name: name, reached: make(chan struct{}), release: make(chan struct{})}
	s.mu.Lock()
	if _, ok := s.gates[name]; !ok {
		s.narmed.Add(1)
	}
	s.gates[name] = g
	s.mu.Unlock()
	return g
}

// watch returns a channel closed when a goroutine next passes point name.
func (s *Sched) watch(name string) <-chan struct{} {
	c := make(chan struct{})
	s.mu.Lock()
	if _, ok := s.watches[name]; !ok {
		s.narmed.Add(1)
	}
	s.watches[name] = append(s.watches[name], c)
	s.mu.Unlock()
	return c
}

// Disarm removes a gate nobody reached.
func (s *Sched) Disarm(g *Gate) {
	s.mu.Lock()
	if s.gates[g.Name] == g {
		delete(s.gates, g.Name)
		s.narmed.Add(-1)
	}
	s.mu.Unlock()
}

// Reached is closed when a goroutine stops at the gate.
func (g *Gate) Reached() <-chan struct{} { return g.reached }

// Release lets the stopped goroutine (or the next one to arrive) go on.
func (g *Gate) Release() { g.once.Do(func() { close(g.release) }) }
