package reports_test

import (
	"fmt"
	"time"

	"github.com/golockdep/lockdep/reports"
)

// Two test binaries, each clean on its own: one takes accounts then
// ledger, the other ledger then accounts. Merged, they deadlock.
func ExampleMerge() {
	upload := func(binary string, pid int, from, to string) reports.Received {
		return reports.Received{Upload: &reports.Upload{
			Schema:   reports.SchemaVersion,
			Identity: reports.Identity{Binary: binary, Host: "ci", PID: pid, Start: time.Unix(int64(pid), 0)},
			Classes:  []reports.Class{{Name: from}, {Name: to}},
			Edges:    []reports.Edge{{From: from, To: to, Types: "-(EN)->", Count: 1}},
		}}
	}
	m, err := reports.Merge([]reports.Received{
		upload("transfer.test", 1, "accounts", "ledger"),
		upload("audit.test", 2, "ledger", "accounts"),
	})
	if err != nil {
		panic(err)
	}
	for _, r := range m.Reports {
		fmt.Println(r.Kind, "cross-process:", r.CrossProcess)
		for _, l := range r.Links() {
			fmt.Printf("  %s %s %s  from %v\n", l.From, l.Types, l.To, l.Sources)
		}
	}
	// Output:
	// circular cross-process: true
	//   accounts -(EN)-> ledger  from [transfer.test pid 1 on ci]
	//   ledger -(EN)-> accounts  from [audit.test pid 2 on ci]
}
