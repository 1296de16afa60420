package lockdep

import (
	"fmt"
	"strings"
)

// String renders the report the way the kernel lays out its lockdep
// splats: a title, the lock being taken and the one it conflicts with, the
// existing dependency chain with the stack that created each link, the
// possible unsafe scenario, the locks held, and the current stack.
func (r *Report) String() string {
	var b strings.Builder
	title := r.Kind.title()
	rule := strings.Repeat("=", len(title)+9)
	fmt.Fprintf(&b, "\n%s\nWARNING: %s\n%s\n", rule, title, strings.Repeat("-", len(title)+9))
	g := fmt.Sprintf("goroutine %d", r.Goroutine)
	if r.Goroutine == 0 {
		g = "a goroutine" // a report on a merged graph: no one goroutine
	}
	switch r.Kind {
	case Circular, WaitCircular:
		if r.Kind == WaitCircular {
			writeWaitHead(&b, r, g)
		} else {
			fmt.Fprintf(&b, "%s is trying to acquire lock:\n  %s\n\n", g, r.Lock)
			fmt.Fprintf(&b, "but it already holds lock:\n  %s\n\n", r.Held)
			fmt.Fprintf(&b, "which lock already depends on the new lock.\n\n")
		}
		fmt.Fprintf(&b, "the existing dependency chain, from the new lock back to the held one:\n")
		for i, l := range r.Chain {
			fmt.Fprintf(&b, "\n-> #%d (%s) %s (%s)", i, l.From, l.Types, l.To)
			if len(l.Sources) > 0 {
				fmt.Fprintf(&b, "  [from %s]", strings.Join(l.Sources, ", "))
			}
			if isEventName(l.From) {
				b.WriteString(", the event completed after the lock was taken at:\n")
			} else {
				b.WriteString(", first taken at:\n")
			}
			writeStack(&b, l.Stack)
		}
		if r.New != nil {
			fmt.Fprintf(&b, "\nand the new dependency (%s) %s (%s) closes the cycle", r.New.From, r.New.Types, r.New.To)
			if len(r.New.Sources) > 0 {
				fmt.Fprintf(&b, "  [from %s]", strings.Join(r.New.Sources, ", "))
				b.WriteString(", taken at:\n")
				writeStack(&b, r.New.Stack)
			} else {
				b.WriteString(".\n")
			}
		}
		b.WriteString("\nother info that might help us debug this:\n\n")
		if r.Kind == WaitCircular {
			writeWaitScenario(&b, r)
		} else {
			writeScenario(&b, r)
		}
	case Recursive:
		fmt.Fprintf(&b, "%s is trying to acquire lock:\n  %s\n\n", g, r.Lock)
		fmt.Fprintf(&b, "but it already holds a lock of the same class:\n  %s\n\n", r.Held)
		b.WriteString("other info that might help us debug this:\n")
		fmt.Fprintf(&b, " Possible unsafe locking scenario:\n\n       goroutine 1\n       ----\n  %s;\n  %s;\n\n *** DEADLOCK ***\n\n",
			lockVerb(*r.Held), lockVerb(*r.Lock))
		b.WriteString(" May be due to missing lock nesting notation\n\n")
	case OrderViolation:
		fmt.Fprintf(&b, "%s is trying to acquire lock:\n  %s\n\n", g, r.Lock)
		fmt.Fprintf(&b, "while holding a lock of the same key that must come after it:\n  %s\n\n", r.Held)
	case BadUnlock:
		fmt.Fprintf(&b, "%s is trying to release lock:\n  %s\n\nbut it does not hold it.\n\n", g, r.Lock)
	default:
		if r.Lock != nil {
			fmt.Fprintf(&b, "%s, lock:\n  %s\n", g, r.Lock)
		}
		if r.Held != nil {
			fmt.Fprintf(&b, "related lock:\n  %s\n", r.Held)
		}
		b.WriteString("\n")
	}
	if r.Message != "" {
		fmt.Fprintf(&b, "%s\n\n", r.Message)
	}
	if r.Kind != LimitExceeded && r.Goroutine != 0 {
		writeHeld(&b, r)
		fmt.Fprintf(&b, "\nstack of %s:\n", g)
		writeStack(&b, r.Stack)
	}
	return b.String()
}

func writeHeld(b *strings.Builder, r *Report) {
	switch len(r.HeldLocks) {
	case 0:
		fmt.Fprintf(b, "no locks held by goroutine %d.\n", r.Goroutine)
		return
	case 1:
		fmt.Fprintf(b, "1 lock held by goroutine %d:\n", r.Goroutine)
	default:
		fmt.Fprintf(b, "%d locks held by goroutine %d:\n", len(r.HeldLocks), r.Goroutine)
	}
	for i, h := range r.HeldLocks {
		fmt.Fprintf(b, " #%d: %s\n", i, h)
	}
}

func writeStack(b *strings.Builder, fs []Frame) {
	if len(fs) == 0 {
		b.WriteString("       (no stack recorded)\n")
		return
	}
	for _, f := range fs {
		fmt.Fprintf(b, "       %s\n           %s:%d\n", f.Function, f.File, f.Line)
	}
}

func lockVerb(l LockRef) string {
	if l.Mode.reader() {
		return "rlock(" + l.Class + ")"
	}
	return "lock(" + l.Class + ")"
}

// writeScenario prints the two-goroutine table the kernel prints: goroutine
// 1 holds the held lock and takes the new one; goroutine 2 took the chain
// the other way round.
func writeScenario(b *strings.Builder, r *Report) {
	if r.Held == nil || r.Lock == nil || len(r.Chain) == 0 {
		return
	}
	held, lock := *r.Held, *r.Lock
	if len(r.Chain) > 1 {
		names := []string{r.Chain[0].From}
		for _, l := range r.Chain {
			names = append(names, l.To)
		}
		fmt.Fprintf(b, "Chain exists of:\n  %s\n\n", strings.Join(names, " --> "))
	}
	// The other goroutine's part: the last link of the chain ends in the
	// held lock; it holds that link's From and takes the held lock.
	last := r.Chain[len(r.Chain)-1]
	mid := LockRef{Class: last.From, Mode: Exclusive}
	if strings.Contains(last.Types, "(S") && !strings.Contains(last.Types, "E") {
		mid.Mode = Shared
	}
	const col = 30
	row := func(left, right string) {
		fmt.Fprintln(b, strings.TrimRight(fmt.Sprintf("  %-*s%s", col, left, right), " "))
	}
	b.WriteString(" Possible unsafe locking scenario:\n\n")
	row("goroutine 1", "goroutine 2")
	row("----", "----")
	row(lockVerb(held)+";", "")
	row("", lockVerb(mid)+";")
	row("", lockVerb(held)+";")
	row(lockVerb(lock)+";", "")
	b.WriteString("\n *** DEADLOCK ***\n\n")
}
