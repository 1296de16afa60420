//go:build !amd64 || race

package lockdep

import "sync/atomic"

// storeRelease stores v in *p with (at least) release ordering; see
// storerel_amd64.go.
func storeRelease(p *atomic.Int64, v int64) { p.Store(v) }
