package reports

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/golockdep/lockdep/lockdep"
)

var (
	selfOnce sync.Once
	self     Identity
	started  = time.Now()
)

// Self returns the identity of this process: the executable's base name,
// the main package's import path (for a test binary, the tested package's
// path followed by ".test"), host name, pid and the time package reports
// was initialised, which is close to the process's start.
func Self() Identity {
	selfOnce.Do(func() {
		host, err := os.Hostname()
		if err != nil || host == "" {
			host = "unknown-host"
		}
		bin := filepath.Base(os.Args[0])
		if bin == "" || bin == "." {
			bin = "unknown"
		}
		self = Identity{Binary: sanitize(bin), Host: sanitize(host), PID: os.Getpid(), Start: started.UTC()}
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Path != "" && bi.Path != "command-line-arguments" {
			self.Package = sanitize(bi.Path)
		}
	})
	return self
}

// sanitize replaces control characters, which uploads may not carry.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '?'
		}
		return r
	}, s)
}

// FromValidator copies v's graph, reports, counters and contention
// statistics (empty unless v.EnableLockStats was called) into an upload
// from id.
func FromValidator(v *lockdep.Validator, id Identity) *Upload {
	s := v.Snapshot()
	u := &Upload{Schema: MinSchemaVersion, Identity: id} // nothing of version 2 yet; see MinSchemaVersion
	for _, c := range s.Classes {
		u.Classes = append(u.Classes, Class{Name: sanitize(c.Name), Key: sanitize(c.Key), Subclass: c.Subclass})
	}
	for _, e := range s.Edges {
		u.Edges = append(u.Edges, Edge{From: sanitize(e.From), To: sanitize(e.To), Types: e.Types, Count: e.Count, Stack: frames(e.Stack)})
	}
	for _, ch := range s.Chains {
		c := Chain{Classes: sanitizeAll(ch.Classes)}
		for _, m := range ch.Modes {
			c.Modes = append(c.Modes, m.String())
		}
		u.Chains = append(u.Chains, c)
	}
	for _, r := range v.Reports() {
		u.Reports = append(u.Reports, ReportOf(r))
	}
	st := s.Stats
	u.Stats = Stats{Classes: st.Classes, DirectDeps: st.DirectDeps, IndirectDeps: st.IndirectDeps,
		Chains: st.Chains, ChainHits: st.ChainHits, ChainMisses: st.ChainMisses, MaxDepth: st.MaxDepth,
		Reports: st.Reports, Stopped: st.Stopped, Limit: st.Limit}
	u.LockStats = LockStatsOf(v.LockStats())
	return u
}

// ReportOf converts a validator's report.
func ReportOf(r *lockdep.Report) Report {
	out := Report{Kind: r.Kind.String(), Classes: sanitizeAll(r.Classes), Message: truncate(r.Message), Text: truncate(r.String())}
	for _, l := range r.Chain {
		out.Chain = append(out.Chain, linkOf(l))
	}
	if r.New != nil {
		l := linkOf(*r.New)
		out.New = &l
	}
	return out
}

func linkOf(l lockdep.Link) Link {
	return Link{From: sanitize(l.From), To: sanitize(l.To), Types: l.Types, Stack: frames(l.Stack), Sources: sanitizeAll(l.Sources)}
}

// LockStatsOf converts the validator's contention statistics.
func LockStatsOf(ls []lockdep.LockStat) []LockStat {
	var out []LockStat
	for _, s := range ls {
		o := LockStat{Class: sanitize(s.Class), Read: s.Read, Contentions: s.Contentions, Acquisitions: s.Acquisitions,
			WaitMinNS: int64(s.WaitMin), WaitMaxNS: int64(s.WaitMax), WaitTotalNS: int64(s.WaitTotal),
			HoldMinNS: int64(s.HoldMin), HoldMaxNS: int64(s.HoldMax), HoldTotalNS: int64(s.HoldTotal)}
		for _, p := range s.Points {
			o.Points = append(o.Points, Point{Frame: frames([]lockdep.Frame{p.Frame})[0], Count: p.Count})
		}
		out = append(out, o)
	}
	return out
}

func frames(fs []lockdep.Frame) []Frame {
	out := make([]Frame, 0, len(fs))
	for _, f := range fs {
		if len(out) == DefaultLimits.MaxFrames {
			break
		}
		out = append(out, Frame{Function: sanitize(f.Function), File: sanitize(f.File), Line: f.Line})
	}
	return out
}

func sanitizeAll(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = sanitize(s)
	}
	return out
}

// truncate bounds a report's text to what uploads may carry.
func truncate(s string) string {
	if len(s) <= DefaultLimits.MaxText {
		return s
	}
	s = s[:DefaultLimits.MaxText-20]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "\n...(truncated)\n"
}

// lockdepFrames converts frames back.
func lockdepFrames(fs []Frame) []lockdep.Frame {
	out := make([]lockdep.Frame, 0, len(fs))
	for _, f := range fs {
		out = append(out, lockdep.Frame(f))
	}
	return out
}
