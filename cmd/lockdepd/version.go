package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

func init() {
	register(&command{name: "version", summary: "print lockdepd's module version, commit and Go version", run: runVersion})
}

// runVersion prints what the binary was built from, as the build recorded
// it: the module version (or "(devel)" in a checkout), the commit and
// whether the tree was modified, and the Go release.
func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: lockdepd version")
		return 2
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(stdout, "lockdepd (no build information)")
		return 0
	}
	rev, modified := "", ""
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " (modified)"
			}
		}
	}
	fmt.Fprintf(stdout, "lockdepd %s", bi.Main.Version)
	if rev != "" {
		fmt.Fprintf(stdout, " commit %s%s", rev, modified)
	}
	fmt.Fprintf(stdout, " %s\n", bi.GoVersion)
	return 0
}
