package daemon

import "time"

// Retention: the store keeps at most Config.MaxRuns uploads, none older
// than Config.MaxAge (if set), and at most Config.MaxStoreBytes of
// uploads' JSON. The bounds are applied at start-up and after each
// upload; beyond one of them the oldest uploads are deleted first, and a
// few more than needed (a sixteenth of the bound on count and bytes), so
// that the merged graph, which is rebuilt from the store after a
// deletion, is rebuilt once per many uploads rather than after each.

// prune deletes the uploads beyond the retention bounds and reports
// whether it deleted any.
func (s *Server) prune(now time.Time) bool {
	s.mu.Lock()
	n := s.victimsLocked(now)
	if n == 0 {
		s.mu.Unlock()
		return false
	}
	seqs := make([]uint64, n)
	var size int64
	for i, e := range s.index[:n] {
		seqs[i] = e.seq
		size += e.size
	}
	s.index = append(s.index[:0:0], s.index[n:]...)
	s.stored -= size
	s.mu.Unlock()
	if err := s.store.remove(seqs); err != nil {
		s.log.Printf("deleting %d old upload(s): %v", n, err)
		return false
	}
	s.log.Printf("deleted the %d oldest upload(s) (retention: -max-runs %d, -max-age %v, -max-store %d MiB)",
		n, s.cfg.MaxRuns, s.cfg.MaxAge, s.cfg.MaxStoreBytes>>20)
	return true
}

// victimsLocked counts the oldest uploads to delete.
func (s *Server) victimsLocked(now time.Time) int {
	n := 0
	if s.cfg.MaxAge > 0 {
		for n < len(s.index) && now.Sub(s.index[n].run.Received) > s.cfg.MaxAge {
			n++
		}
	}
	if len(s.index)-n > s.cfg.MaxRuns {
		n = len(s.index) - (s.cfg.MaxRuns - s.cfg.MaxRuns/16)
	}
	left := s.stored
	for _, e := range s.index[:n] {
		left -= e.size
	}
	if left > s.cfg.MaxStoreBytes {
		goal := s.cfg.MaxStoreBytes - s.cfg.MaxStoreBytes/16
		for n < len(s.index) && left > goal {
			left -= s.index[n].size
			n++
		}
	}
	return n
}
