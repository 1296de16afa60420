package lockdep

import (
	"fmt"
	"strings"
)

// writeWaitHead opens a WaitCircular report: either the goroutine is about
// to wait for an event while holding a lock the event depends on, or it
// completes an event after taking a lock that a waiter may hold.
func writeWaitHead(b *strings.Builder, r *Report, g string) {
	if r.New != nil && isEventName(r.New.From) {
		fmt.Fprintf(b, "%s is completing event:\n  (%s)\n\n", g, r.Lock.Class)
		fmt.Fprintf(b, "after taking lock:\n  %s\n\n", r.Held)
		b.WriteString("but a goroutine may wait for the event while holding the lock.\n\n")
		return
	}
	fmt.Fprintf(b, "%s is about to wait for event:\n  (%s)\n\n", g, r.Lock.Class)
	fmt.Fprintf(b, "while it holds lock:\n  %s\n\n", r.Held)
	b.WriteString("but the event depends on the lock: it is completed only after the lock is taken.\n\n")
}

// writeWaitScenario prints the deadlock as one line per goroutine: each
// link of the cycle is a goroutine that holds its From and waits for its
// To (a lock, or an event), or that must take its To before it completes
// its From.
func writeWaitScenario(b *strings.Builder, r *Report) {
	if r.New == nil || len(r.Chain) == 0 {
		return
	}
	links := append([]Link{*r.New}, r.Chain...)
	names := []string{links[0].From}
	for _, l := range links {
		names = append(names, l.To)
	}
	fmt.Fprintf(b, "Cycle:\n  %s\n\n", strings.Join(names, " --> "))
	b.WriteString(" Possible deadlock scenario:\n\n")
	for i, l := range links {
		switch {
		case isEventName(l.From):
			fmt.Fprintf(b, "  goroutine %d must lock(%s) before it completes %s;\n", i+1, l.To, l.From)
		case isEventName(l.To):
			fmt.Fprintf(b, "  goroutine %d holds lock(%s) and waits for %s;\n", i+1, l.From, l.To)
		default:
			fmt.Fprintf(b, "  goroutine %d holds lock(%s) and waits for lock(%s);\n", i+1, l.From, l.To)
		}
	}
	b.WriteString("\n *** DEADLOCK ***\n\n")
}
