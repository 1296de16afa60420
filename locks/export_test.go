package locks

// Test hooks.

// WaitingWriters returns how many writers are waiting for l.
func (l *RWLock) WaitingWriters() int64 { return l.c.state.Load() / rwWaiterOne }

// WaitingWriters returns how many writers are waiting for s.
func (s *RWSem) WaitingWriters() int64 { return s.c.state.Load() / rwWaiterOne }
