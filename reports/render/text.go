package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/golockdep/lockdep/reports"
)

// The kernel's /proc views of a merged graph. Each writer returns the
// first write error.

// errWriter remembers the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// WriteLockdep writes the classes and their direct dependencies, like
// /proc/lockdep: each class with its forward (FD) and backward (BD)
// dependency counts, then one "->" line per dependency with its types and
// the processes that recorded it. Its cost is linear in its output: the
// dependencies are indexed by class once.
func WriteLockdep(w io.Writer, m *reports.Merged) error {
	e := &errWriter{w: w}
	e.printf("all lock classes:\n")
	ids := classIDs(m)
	from := make(map[string][]int, len(m.Graph.Classes))
	for i, d := range m.Graph.Edges {
		from[d.From] = append(from[d.From], i)
	}
	for _, c := range m.Graph.Classes {
		if e.err != nil {
			break
		}
		e.printf("%08x FD:%5d BD:%5d: %s\n", c.ID, c.Forward, c.Backward, c.Name)
		for _, i := range from[c.Name] {
			d := m.Graph.Edges[i]
			e.printf(" -> [%08x] %s %s", ids[d.To], d.To, d.Types)
			if len(d.Sources) > 0 {
				e.printf("  [from %s]", strings.Join(d.Sources, ", "))
			}
			e.printf("\n")
		}
		e.printf("\n")
	}
	return e.err
}

func classIDs(m *reports.Merged) map[string]uint32 {
	ids := make(map[string]uint32, len(m.Graph.Classes))
	for _, c := range m.Graph.Classes {
		ids[c.Name] = c.ID
	}
	return ids
}

// WriteChains writes the cached lock chains of all uploads, like
// /proc/lockdep_chains.
func WriteChains(w io.Writer, m *reports.Merged) error {
	e := &errWriter{w: w}
	ids := classIDs(m)
	e.printf("all lock chains:\n")
	for i, ch := range m.Chains {
		e.printf("chain %d:\n", i)
		for j, n := range ch.Classes {
			e.printf("[%08x] %s (%s)\n", ids[n], n, ch.Modes[j])
		}
		e.printf("\n")
	}
	return e.err
}

// WriteStats writes the counters, like /proc/lockdep_stats.
func WriteStats(w io.Writer, m *reports.Merged) error {
	e := &errWriter{w: w}
	cross := 0
	for _, r := range m.Reports {
		if r.CrossProcess {
			cross++
		}
	}
	c := m.Counters
	row := func(name string, v any) { e.printf(" %-40s %11v\n", name+":", v) }
	row("runs received", len(m.Runs))
	row("lock-classes", c.Classes)
	row("direct dependencies", c.DirectDeps)
	row("indirect dependencies", c.IndirectDeps)
	row("dependency chains", c.Chains)
	row("chain lookup hits", c.ChainHits)
	row("chain lookup misses", c.ChainMisses)
	row("max locking depth", c.MaxDepth)
	row("reports made by the processes", c.Reports)
	row("cross-process cycles", cross)
	row("problems listed", len(m.Reports))
	if c.Stopped {
		row("a process stopped validating at", c.Limit)
	}
	for _, p := range m.Problems {
		e.printf(" merge problem: %s\n", p)
	}
	return e.err
}

// WriteLockStat writes contention statistics like /proc/lock_stat:
// per class and side (-W write, -R read) the contentions, wait times, the
// acquisitions and hold times, in microseconds, then the top contention
// points.
func WriteLockStat(w io.Writer, m *reports.Merged) error {
	e := &errWriter{w: w}
	rule := strings.Repeat("-", 40+10*15) + "\n"
	e.printf("lock_stat version 0.4\n%s", rule)
	e.printf("%40s", "class name")
	for _, h := range []string{"contentions", "waittime-min", "waittime-max", "waittime-total", "waittime-avg",
		"acquisitions", "holdtime-min", "holdtime-max", "holdtime-total", "holdtime-avg"} {
		e.printf(" %14s", h)
	}
	e.printf("\n%s", rule)
	for i, s := range m.LockStats {
		if i > 0 && s.Class != m.LockStats[i-1].Class {
			e.printf("\n%s", rule)
		}
		side := "-W"
		if s.Read {
			side = "-R"
		}
		e.printf("%40s %14d %14s %14s %14s %14s %14d %14s %14s %14s %14s\n", s.Class+side+":",
			s.Contentions, us(s.WaitMinNS), us(s.WaitMaxNS), us(s.WaitTotalNS), avg(s.WaitTotalNS, s.Contentions),
			s.Acquisitions, us(s.HoldMinNS), us(s.HoldMaxNS), us(s.HoldTotalNS), avg(s.HoldTotalNS, s.Acquisitions))
		if len(s.Points) > 0 {
			e.printf("%40s\n", strings.Repeat("-", len(s.Class)))
			for _, p := range s.Points {
				e.printf("%40s %14d [%s] %s:%d\n", s.Class, p.Count, p.Frame.Function, ShortFile(p.Frame.File), p.Frame.Line)
			}
		}
	}
	return e.err
}

func us(ns int64) string { return fmt.Sprintf("%.2f", float64(ns)/1e3) }

func avg(ns int64, n uint64) string {
	if n == 0 {
		return us(0)
	}
	return us(ns / int64(n))
}

// WriteText writes every report of the merged graph as the validator
// renders it, each under a line naming its kind and processes.
func WriteText(w io.Writer, m *reports.Merged) error {
	e := &errWriter{w: w}
	if len(m.Reports) == 0 {
		e.printf("no reports in %d run(s)\n", len(m.Runs))
	}
	for _, r := range m.Runs {
		if r.Trimmed != "" {
			e.printf("note: the upload from %s was %s\n", r.Identity.Source(), r.Trimmed)
		}
	}
	for i, r := range m.Reports {
		where := "reported by"
		if r.CrossProcess {
			where = "cross-process, from"
		}
		e.printf("==== report %d of %d: %s, %s %s\n", i+1, len(m.Reports), r.Kind, where, strings.Join(r.Sources, "; "))
		e.printf("%s\n", strings.TrimRight(r.Text, "\n"))
		e.printf("\n")
	}
	return e.err
}

// ShortFile is the last two elements of a slash-separated path.
func ShortFile(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		if j := strings.LastIndexByte(p[:i], '/'); j >= 0 {
			return p[j+1:]
		}
	}
	return p
}
