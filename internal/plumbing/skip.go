package plumbing

import (
	"strings"
	"sync"
)

var (
	skipMu   sync.RWMutex
	skipPkgs []string
)

// SkipPackage marks a package whose functions stand between the user's
// code and the validator (lockdep itself, locks, locks/declared): leading
// frames from it are left out of report stacks, so that each stack starts
// at the caller. pkgPath is an import path such as "example.com/mod/locks".
func SkipPackage(pkgPath string) {
	skipMu.Lock()
	skipPkgs = append(skipPkgs, pkgPath+".")
	skipMu.Unlock()
}

// Skipped reports whether a frame of function, in file, belongs to a
// package marked with SkipPackage. A frame in a test file never does, so
// that a package's own tests see their frames.
func Skipped(function, file string) bool {
	if strings.HasSuffix(file, "_test.go") {
		return false
	}
	skipMu.RLock()
	defer skipMu.RUnlock()
	for _, p := range skipPkgs {
		if strings.HasPrefix(function, p) && !strings.Contains(function[len(p):], "/") {
			return true
		}
	}
	return false
}
