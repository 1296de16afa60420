package reports

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/golockdep/lockdep/lockdep"
)

// maxProblems bounds the problems one Validate error lists.
const maxProblems = 10

// maxChainDepth bounds the classes of one chain.
const maxChainDepth = 256

// Validate checks u against the schema's rules and lim (zero fields mean
// the defaults). It returns an error wrapping ErrVersion or ErrInvalid
// that lists every problem found, up to ten.
func (u *Upload) Validate(lim Limits) error {
	if u.Schema < MinSchemaVersion || u.Schema > SchemaVersion {
		return fmt.Errorf("%w: schema %d, this lockdepd reads %s", ErrVersion, u.Schema, readsVersions())
	}
	c := &checker{lim: lim.withDefaults()}
	c.identity(u.Identity)
	if u.Trimmed != "" {
		if u.Schema < 2 {
			c.addf("trimmed: a schema %d upload has no \"trimmed\"; it needs schema 2", u.Schema)
		}
		c.name("trimmed", u.Trimmed, true)
	}
	before := len(c.problems)
	c.count("classes", len(u.Classes), c.lim.MaxClasses)
	c.count("edges", len(u.Edges), c.lim.MaxEdges)
	c.count("chains", len(u.Chains), c.lim.MaxChains)
	c.count("reports", len(u.Reports), c.lim.MaxReports)
	c.count("lock_stats", len(u.LockStats), c.lim.MaxStats)
	if len(c.problems) > before {
		return c.err() // do not walk absurdly large lists
	}
	names := make(map[string]bool, len(u.Classes))
	for i, cl := range u.Classes {
		at := fmt.Sprintf("classes[%d]", i)
		c.name(at+".name", cl.Name, false)
		c.name(at+".key", cl.Key, true)
		if cl.Subclass < 0 || cl.Subclass > lockdep.MaxSubclass {
			c.addf("%s.subclass: %d is outside 0..%d", at, cl.Subclass, lockdep.MaxSubclass)
		}
		if names[cl.Name] {
			c.addf("%s.name: duplicate class %q", at, cl.Name)
		}
		names[cl.Name] = true
	}
	known := func(at, n string) {
		if !names[n] {
			c.addf("%s: class %q is not in classes", at, n)
		}
	}
	pairs := make(map[[2]string]bool, len(u.Edges))
	for i, e := range u.Edges {
		at := fmt.Sprintf("edges[%d]", i)
		known(at+".from", e.From)
		known(at+".to", e.To)
		if e.From == e.To {
			c.addf("%s: dependency of %q on itself", at, e.From)
		}
		if pairs[[2]string{e.From, e.To}] {
			c.addf("%s: duplicate edge %q -> %q", at, e.From, e.To)
		}
		pairs[[2]string{e.From, e.To}] = true
		c.types(at+".types", e.Types)
		c.stack(at+".stack", e.Stack)
	}
	for i, ch := range u.Chains {
		at := fmt.Sprintf("chains[%d]", i)
		if len(ch.Classes) == 0 || len(ch.Classes) > maxChainDepth || len(ch.Modes) != len(ch.Classes) {
			c.addf("%s: %d classes and %d modes; want 1..%d of each", at, len(ch.Classes), len(ch.Modes), maxChainDepth)
			continue
		}
		for j, n := range ch.Classes {
			known(fmt.Sprintf("%s.classes[%d]", at, j), n)
			if _, ok := parseMode(ch.Modes[j]); !ok {
				c.addf("%s.modes[%d]: unknown mode %q", at, j, ch.Modes[j])
			}
		}
	}
	for i, r := range u.Reports {
		c.report(fmt.Sprintf("reports[%d]", i), r)
	}
	for i, s := range u.LockStats {
		c.lockStat(fmt.Sprintf("lock_stats[%d]", i), s)
	}
	return c.err()
}

// checker collects problems.
type checker struct {
	lim      Limits
	problems []string
}

func (c *checker) addf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *checker) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	ps := c.problems
	more := ""
	if len(ps) > maxProblems {
		more = fmt.Sprintf("; and %d more", len(ps)-maxProblems)
		ps = ps[:maxProblems]
	}
	return fmt.Errorf("%w: %s%s", ErrInvalid, strings.Join(ps, "; "), more)
}

func (c *checker) count(what string, n, limit int) {
	if n > limit {
		c.addf("%d %s, at most %d allowed", n, what, limit)
	}
}

func (c *checker) identity(id Identity) {
	c.name("identity.binary", id.Binary, false)
	c.name("identity.package", id.Package, true)
	c.name("identity.host", id.Host, false)
	if id.PID <= 0 {
		c.addf("identity.pid: %d, must be positive", id.PID)
	}
	if id.Start.IsZero() {
		c.addf("identity.start: missing")
	}
}

// name checks a name, function or file: not empty (unless optional), at
// most MaxName bytes, valid UTF-8, no control characters.
func (c *checker) name(at, s string, optional bool) {
	if err := checkName(s, c.lim.MaxName); err != nil && !(optional && s == "") {
		c.addf("%s: %v", at, err)
	}
}

func checkName(s string, max int) error {
	switch {
	case s == "":
		return errors.New("empty")
	case len(s) > max:
		return fmt.Errorf("%d bytes, at most %d allowed", len(s), max)
	case !utf8.ValidString(s):
		return errors.New("not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("control character %U in %q", r, s)
		}
	}
	return nil
}

// text checks a report's text or message: at most MaxText bytes, valid
// UTF-8, no control character but newline and tab (so that no terminal
// escape sequence reaches a reader's terminal).
func (c *checker) text(at, s string) {
	if len(s) > c.lim.MaxText || !utf8.ValidString(s) {
		c.addf("%s: over %d bytes or not UTF-8", at, c.lim.MaxText)
		return
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			c.addf("%s: control character %U; only newline and tab are allowed", at, r)
			return
		}
	}
}

func (c *checker) types(at, s string) {
	if _, err := ParseTypes(s); err != nil {
		c.addf("%s: %v", at, err)
	}
}

func (c *checker) stack(at string, fs []Frame) {
	if len(fs) > c.lim.MaxFrames {
		c.addf("%s: %d frames, at most %d allowed", at, len(fs), c.lim.MaxFrames)
		return
	}
	for i, f := range fs {
		c.frame(fmt.Sprintf("%s[%d]", at, i), f)
	}
}

func (c *checker) frame(at string, f Frame) {
	c.name(at+".function", f.Function, false)
	c.name(at+".file", f.File, true)
	if f.Line < 0 {
		c.addf("%s.line: %d is negative", at, f.Line)
	}
}

func (c *checker) link(at string, l Link) {
	c.name(at+".from", l.From, false)
	c.name(at+".to", l.To, false)
	c.types(at+".types", l.Types)
	c.stack(at+".stack", l.Stack)
	for i, s := range l.Sources {
		c.name(fmt.Sprintf("%s.sources[%d]", at, i), s, false)
	}
}

func (c *checker) report(at string, r Report) {
	if _, ok := lockdep.ParseKind(r.Kind); !ok {
		c.addf("%s.kind: unknown kind %q", at, r.Kind)
	}
	if len(r.Classes) > maxChainDepth {
		c.addf("%s.classes: %d, at most %d allowed", at, len(r.Classes), maxChainDepth)
		return
	}
	for i, n := range r.Classes {
		c.name(fmt.Sprintf("%s.classes[%d]", at, i), n, false)
	}
	c.text(at+".message", r.Message)
	c.text(at+".text", r.Text)
	if len(r.Chain) > maxChainDepth {
		c.addf("%s.chain: %d links, at most %d allowed", at, len(r.Chain), maxChainDepth)
		return
	}
	for i, l := range r.Chain {
		c.link(fmt.Sprintf("%s.chain[%d]", at, i), l)
	}
	if r.New != nil {
		c.link(at+".new", *r.New)
	}
}

func (c *checker) lockStat(at string, s LockStat) {
	c.name(at+".class", s.Class, false)
	for _, d := range []struct {
		name          string
		min, max, tot int64
	}{{"wait", s.WaitMinNS, s.WaitMaxNS, s.WaitTotalNS}, {"hold", s.HoldMinNS, s.HoldMaxNS, s.HoldTotalNS}} {
		if d.min < 0 || d.max < d.min || d.tot < d.max {
			c.addf("%s: %s times min %d, max %d, total %d are not 0 <= min <= max <= total", at, d.name, d.min, d.max, d.tot)
		}
	}
	if len(s.Points) > c.lim.MaxFrames {
		c.addf("%s.points: %d, at most %d allowed", at, len(s.Points), c.lim.MaxFrames)
		return
	}
	for i, p := range s.Points {
		c.frame(fmt.Sprintf("%s.points[%d].frame", at, i), p.Frame)
	}
}
