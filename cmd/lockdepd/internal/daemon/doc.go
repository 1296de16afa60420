// Package daemon is lockdepd's server: it takes uploads of lock graphs
// from many processes over HTTP, keeps them in a crash-safe store, merges
// them into one graph validated by lockdep.Merger, and serves the result
// as JSON, the kernel's /proc-style text views, DOT, pprof profiles and a
// web page.
//
// # Durability
//
// Uploads are kept in a bbolt database (lockdepd.db in the data
// directory). An upload is answered 200 only after the transaction that
// stores it has committed, and bbolt commits with fsync, so a daemon
// killed at any moment loses no upload it acknowledged; the next start
// reads them all back.
//
// # Size
//
// An upload may be sent gzip-compressed (Content-Encoding: gzip), and every
// answer to an upload says so (Accept-Encoding: gzip). The body
// as sent and the JSON it decompresses to are each bounded by
// Config.Limits.MaxBytes (32 MiB by default); a body whose Content-Length
// is over the bound is refused with 413 before it is read, and one that
// decompresses to more is read to its end first, so that the client reads
// the 413 and its reason rather than a reset connection.
//
// # Access
//
// On a loopback address anyone on the machine may upload and read. On any
// other address a bearer token is required for every request, and New
// refuses to start without one (CheckAddr).
//
// # Lock order
//
// Server.mu guards the decoded uploads and the cached merge; it is never
// held while the store commits, so slow disks do not stall the views.
package daemon
