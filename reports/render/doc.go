// Package render draws merged lock graphs (package reports) for people:
// the kernel-style report text, the /proc/lockdep-style views, Graphviz
// DOT, and the daemon's HTML page with SVG cycle pictures. It is apart from
// package reports so that test binaries, which only encode and upload
// graphs, link no HTML templates.
//
// Lock order: none; the writers hold no locks.
package render
