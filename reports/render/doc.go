// Package render draws merged lock graphs (package reports) for people:
// the kernel-style report text, the /proc/lockdep-style views, Graphviz
// DOT, and the daemon's HTML page: a legend, filters by kind, package and
// test binary, each report with its test binaries, tests and baseline
// line, its stacks (linked to source when PageOptions ask), and its cycle
// drawn as SVG in a layered layout that cannot overlap (layout.go). It is
// apart from package reports so that test binaries, which only encode and
// upload graphs, link no HTML templates.
//
// Lock order: none; the writers hold no locks.
package render
