// Package daemon is lockdepd's server: it takes uploads of lock graphs
// from many processes over HTTP, keeps them in a crash-safe store, merges
// them into one graph validated by lockdep.Merger, and serves the result
// as JSON, the kernel's /proc-style text views, DOT, pprof profiles and a
// web page.
//
// # Durability
//
// Uploads are kept in a bbolt database (lockdepd.db in the data
// directory), re-encoded as compact JSON. An upload is answered 200 only
// after the transaction that stores it has committed, and bbolt commits
// with fsync, so a daemon killed at any moment loses no upload it
// acknowledged; the next start reads them all back. A damaged store is
// found before bbolt opens it (storecheck.go: the meta pages here, bbolt's
// own check in a child process, where a crash costs only the child), moved
// aside, and what can be read of it recovered into a fresh store
// (salvage.go).
//
// # Cost
//
// Every cost is bounded by Config, not by what clients send. An upload
// may be sent gzip-compressed (Content-Encoding: gzip), and every answer
// to an upload says so (Accept-Encoding: gzip). The body as sent and the
// JSON it decompresses to are each bounded by Config.Limits.MaxBytes (32
// MiB by default); a body whose Content-Length is over the bound is
// refused with 413 before it is read, and one that decompresses to more is
// read to its end first, so that the client reads the 413 and its reason
// rather than a reset connection. At most Config.MaxUploads uploads are
// read at once (429 beyond, after a short wait), decoded ones wait for
// their commit within a byte budget (budget.go), and the store keeps
// Config.MaxRuns uploads, none older than MaxAge, at most MaxStoreBytes
// (retention.go). Each upload is merged once, when it arrives (merged.go);
// views share one build of the result per change and are streamed.
//
// # Access
//
// On a loopback address anyone on the machine may upload and read. On any
// other address a bearer token is required for every request, and New
// refuses to start without one (CheckAddr). Browsers are kept out by the
// Host, Origin and Content-Type checks of guard.go.
//
// # Lock order
//
// Server.mergeMu guards the incremental merge and is taken before
// Server.mu, which guards the index of uploads and the cached result.
// Neither is held while the store commits an upload, so slow disks do not
// stall the views.
package daemon
