// Package reports turns lock graphs into things people and tools read, and
// carries graphs between processes.
//
// # Uploads
//
// An Upload is one process's class graph as JSON: who sent it (Identity:
// binary, package, host, pid, start time), its classes, its dependency
// edges with their read/write types and the stack that first created each,
// its cached lock chains, the reports it made, its validator counters and
// its contention statistics. The format is versioned (SchemaVersion) and
// documented field by field in SCHEMA.md beside this file. Encode writes
// one, Decode reads one strictly (unknown fields, a wrong version, bodies
// over MaxUploadBytes, counts over the limits in Limits and names with
// control characters are all errors), and Upload.Validate is the validity
// check both use. FromValidator builds an Upload from a live validator;
// Upload.Fit trims one, deterministically, to a size limit, leaving out
// stacks before anything of the graph, and says so in Upload.Trimmed.
//
// # Merging
//
// Merge combines the uploads of many processes into one graph with
// lockdep.Merger, which runs the validator's own strong-cycle search over
// the union; a cycle whose edges came from different processes is reported
// with the processes that contributed each edge. WriteJSON writes the
// resulting Merged value; package reports/render draws it for people (the
// kernel's /proc views, the reports as text, the graph as DOT, and an HTML
// page with each cycle drawn as SVG), apart so that test binaries link no
// HTML templates.
// Package reports/profiles writes pprof profiles of the edges and of
// contention; it is separate so that test binaries do not link pprof.
//
// # Baselines
//
// A Baseline is the set of edges and reports a project has accepted.
// lockdeptest's LOCKDEP_BASELINE mode fails a test binary only on edges or
// reports missing from it.
//
// Package reports imports lockdep; lockdep and locks never import it.
package reports
