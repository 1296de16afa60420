package lockdep

import (
	"reflect"
	"runtime"
	"strings"
	"sync"
)

// Frame is one line of a Go stack: function, file and line, as
// runtime.CallersFrames gives them (inlined calls included).
type Frame struct {
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

var (
	internalMu   sync.RWMutex
	internalPkgs = []string{reflect.TypeOf(Key{}).PkgPath() + "."}
)

// SkipPackage marks a package whose functions are plumbing between the
// user's code and the validator (package locks is one): leading frames from
// it are left out of report stacks, so each stack starts at the caller.
// pkgPath is an import path such as "example.com/mod/locks".
func SkipPackage(pkgPath string) {
	internalMu.Lock()
	internalPkgs = append(internalPkgs, pkgPath+".")
	internalMu.Unlock()
}

func isInternal(f *runtime.Frame) bool {
	if strings.HasSuffix(f.File, "_test.go") {
		return false
	}
	internalMu.RLock()
	defer internalMu.RUnlock()
	for _, p := range internalPkgs {
		if strings.HasPrefix(f.Function, p) && !strings.Contains(f.Function[len(p):], "/") {
			return true
		}
	}
	return false
}

// captureStack returns the caller's program counters, skip frames up.
func captureStack(depth, skip int) []uintptr {
	pcs := make([]uintptr, depth+8)
	n := runtime.Callers(skip, pcs)
	return pcs[:n:n]
}

// Frames turns program counters into frames, leaving out the validator's
// and the lock packages' own leading frames and the runtime's trailing ones.
func Frames(pcs []uintptr, limit int) []Frame {
	var out []Frame
	frames := runtime.CallersFrames(pcs)
	leading := true
	for {
		f, more := frames.Next()
		if f.Function != "" {
			if leading && isInternal(&f) {
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

// Caller returns the first frame of the calling goroutine's stack outside
// the validator and the packages marked with SkipPackage.
func Caller() (Frame, bool) {
	fs := Frames(captureStack(16, 3), 1)
	if len(fs) == 0 {
		return Frame{}, false
	}
	return fs[0], true
}
