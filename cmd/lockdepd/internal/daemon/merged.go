package daemon

import (
	"context"
	"fmt"
	"time"

	"github.com/golockdep/lockdep/reports"
)

// The merged graph is built incrementally: each upload is merged once,
// when it arrives (or, at start-up, as it is read from the store, one at
// a time, so that the store is never all in memory). A view asks for the
// Result of the merge, which is cached until the next upload (one slow to
// build a little longer: throttleBuild); readers
// that ask while it is being built wait for that one build (a flight)
// rather than starting their own, and a reader that has waited a second
// for it takes the previous result. Deleting uploads (retention) cannot be
// undone in a merge, so it rebuilds the merge from the store in the
// background, while uploads and views go on with the old one.

// flight is one build of the merged result, shared by the readers that
// asked for it.
type flight struct {
	done chan struct{}
	m    *reports.Merged
}

// decodeStored decodes an upload from the store: with the limits it was
// accepted under, but whatever its size.
func (s *Server) decodeStored(data []byte) (*reports.Upload, error) {
	lim := s.lim
	lim.MaxBytes = max(lim.MaxBytes, int64(len(data)))
	return reports.DecodeBytes(data, lim)
}

// load merges every upload in the store and indexes them.
func (s *Server) load() error {
	mg, index, bytes, err := s.readAll(nil, true)
	if err != nil {
		return err
	}
	s.merging, s.index, s.stored = mg, index, bytes
	return nil
}

// readAll merges the uploads in the store (those in only, if not nil),
// reading them one at a time. Loading (logBad) logs and keeps the
// problems of entries that no longer decode; a rebuild lists them again.
func (s *Server) readAll(only map[uint64]bool, logBad bool) (*reports.Merging, []entry, int64, error) {
	mg, err := reports.NewMerging()
	if err != nil {
		return nil, nil, 0, err
	}
	if !logBad {
		for _, p := range s.badEntries {
			mg.Problem(p)
		}
	}
	var index []entry
	var total int64
	err = s.store.each(func(seq uint64, at time.Time, data []byte) error {
		if only != nil && !only[seq] {
			return nil
		}
		u, err := s.decodeStored(data)
		if err != nil {
			p := fmt.Sprintf("stored upload %d no longer decodes: %v", seq, err)
			mg.Problem(p)
			if logBad {
				s.log.Print(p)
				s.noteBad(p)
			}
			return nil
		}
		rc := reports.Received{Upload: u, At: at}
		mg.Add(rc)
		index = append(index, entry{seq: seq, size: int64(len(data)), run: runOf(rc)})
		total += int64(len(data))
		return nil
	}, func(k []byte) {
		p := fmt.Sprintf("store entry %x is not an upload", k)
		mg.Problem(p)
		if logBad {
			s.noteBad(p)
		}
	})
	return mg, index, total, err
}

// noteBad keeps a load problem for the rebuilds (at most MaxMergeProblems).
func (s *Server) noteBad(p string) {
	if len(s.badEntries) < reports.MaxMergeProblems {
		s.badEntries = append(s.badEntries, p)
	}
}

func runOf(rc reports.Received) reports.Run {
	u := rc.Upload
	return reports.Run{Identity: u.Identity, Received: rc.At, Classes: len(u.Classes), Edges: len(u.Edges), Reports: len(u.Reports), Trimmed: u.Trimmed}
}

// add merges a new upload and indexes it.
func (s *Server) add(seq uint64, size int64, rc reports.Received) {
	s.mergeMu.Lock()
	defer s.mergeMu.Unlock()
	s.merging.Add(rc)
	s.mu.Lock()
	s.index = append(s.index, entry{seq: seq, size: size, run: runOf(rc)})
	s.stored += size
	s.mu.Unlock()
	s.gen.Add(1)
}

// rebuild merges the uploads kept anew from the store and replaces the
// merge, catching up with the uploads that arrived meanwhile.
func (s *Server) rebuild() error {
	s.mu.Lock()
	keep := make(map[uint64]bool, len(s.index))
	for _, e := range s.index {
		keep[e.seq] = true
	}
	s.mu.Unlock()
	mg, _, _, err := s.readAll(keep, false)
	if err != nil {
		return err
	}
	// Uploads indexed since keep was taken were merged into the old
	// merge only; uploads merged from now on go to the new one.
	s.mergeMu.Lock()
	defer s.mergeMu.Unlock()
	s.mu.Lock()
	var late []entry
	for _, e := range s.index {
		if !keep[e.seq] {
			late = append(late, e)
		}
	}
	s.mu.Unlock()
	for _, e := range late {
		data, ok, err := s.store.get(e.seq)
		if err != nil || !ok {
			continue
		}
		if u, err := s.decodeStored(data); err == nil {
			mg.Add(reports.Received{Upload: u, At: e.run.Received})
		}
	}
	s.merging = mg
	s.gen.Add(1)
	return nil
}

// rebuildLater runs rebuild in the background, once at a time.
func (s *Server) rebuildLater() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rebuilding {
		s.again = true
		return
	}
	s.rebuilding = true
	s.rebuilds.Add(1)
	go func() {
		defer s.rebuilds.Done()
		for {
			if err := s.rebuild(); err != nil {
				s.log.Printf("rebuilding the merged graph after deleting old uploads: %v", err)
			}
			s.mu.Lock()
			if !s.again {
				s.rebuilding = false
				s.mu.Unlock()
				return
			}
			s.again = false
			s.mu.Unlock()
		}
	}()
}

// A result that took over throttleBuild to build is reused, whatever
// arrived since, for twice as long as it took: a big graph under a stream
// of uploads is then rebuilt at most a third of the time rather than for
// every view. Small graphs build faster and are always current.
const throttleBuild = 100 * time.Millisecond

// staleAfter is how long a view waits for the merged result to catch up
// with the newest uploads (while a big upload is being merged, or the
// result built) before it answers with the last result built.
const staleAfter = time.Second

// Merged returns the merge of the uploads held, built at most once per
// change and shared by concurrent readers. If that takes over staleAfter
// it returns the last result built, if there is one. It returns ctx's
// error if ctx is done first; the build goes on for the next reader.
func (s *Server) Merged(ctx context.Context) (*reports.Merged, error) {
	s.mu.Lock()
	stale := s.cached
	fresh := stale != nil && s.cachedGen == s.gen.Load()
	recent := stale != nil && s.buildTook > throttleBuild && time.Since(s.builtAt) < 2*s.buildTook
	if fresh || recent {
		s.mu.Unlock()
		return stale, nil
	}
	f := s.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		s.flight = f
		go s.build(f)
	}
	s.mu.Unlock()
	var late <-chan time.Time
	if stale != nil {
		t := time.NewTimer(staleAfter)
		defer t.Stop()
		late = t.C
	}
	select {
	case <-f.done:
		return f.m, nil
	case <-late:
		return stale, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Server) build(f *flight) {
	s.mergeMu.Lock()
	start := time.Now()
	gen := s.gen.Load()
	m := s.merging.Result()
	s.mergeMu.Unlock()
	s.mu.Lock()
	s.cached, s.cachedGen, s.flight = m, gen, nil
	s.builtAt = time.Now()
	s.buildTook = s.builtAt.Sub(start)
	s.mu.Unlock()
	f.m = m
	close(f.done)
}
