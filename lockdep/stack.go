package lockdep

import (
	"reflect"
	"runtime"

	"github.com/golockdep/lockdep/internal/plumbing"
)

// Frame is one line of a Go stack: function, file and line, as
// runtime.CallersFrames gives them (inlined calls included).
type Frame struct {
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

func init() { plumbing.SkipPackage(reflect.TypeOf(Key{}).PkgPath()) }

// captureStack returns the caller's program counters, skip frames up.
func captureStack(depth, skip int) []uintptr {
	pcs := make([]uintptr, depth+8)
	n := runtime.Callers(skip, pcs)
	return pcs[:n:n]
}

// stackFrames turns program counters into frames, leaving out the validator's
// and the lock packages' own leading frames and the runtime's trailing ones.
func stackFrames(pcs []uintptr, limit int) []Frame {
	var out []Frame
	frames := runtime.CallersFrames(pcs)
	leading := true
	for {
		f, more := frames.Next()
		if f.Function != "" {
			if leading && plumbing.Skipped(f.Function, f.File) {
				if !more {
					break
				}
				continue
			}
			leading = false
			if f.Function == "runtime.goexit" || f.Function == "runtime.main" || f.Function == "testing.tRunner" {
				break
			}
			out = append(out, Frame{Function: f.Function, File: f.File, Line: f.Line})
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		if !more {
			break
		}
	}
	return out
}
