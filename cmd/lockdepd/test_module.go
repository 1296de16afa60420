package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/golockdep/lockdep/cmd/lockdepd/internal/srcmod"
)

// setupModule prepares the module graph that go list and go test use. In
// this repository nothing is needed. In any other module, a temporary
// go.mod (-modfile) adds a requirement on this module, replaced by the
// embedded copy written to the cache (see package srcmod), and on the
// modules it needs, with their go.sum lines: the user's go.mod and go.sum
// are only read.
func (s *session) setupModule() error {
	base := s.env.GOMOD
	if s.args.modfile != "" {
		base = s.abs(s.args.modfile)
	}
	data, err := os.ReadFile(base)
	if err != nil {
		return err
	}
	if mainModule(data) == srcmod.ModulePath {
		s.inTree = true
		if s.args.modfile != "" {
			s.modArgs = []string{"-modfile=" + base}
		}
		return nil
	}
	if err := s.ownModfile(); err != nil {
		return err
	}
	if v, ok := goLineVersion(data); ok && versionLess(v, srcmod.ModuleGoVersion) {
		s.warnf("this build follows go %s's language rules, not go %s's (the go line of go.mod): "+
			"the validator's module needs %s", srcmod.ModuleGoVersion, v, srcmod.ModuleGoVersion)
	}
	cache := s.cacheDir
	if cache == "" {
		cache = s.tmp
	}
	modDir, err := srcmod.Extract(cache)
	if err != nil {
		return fmt.Errorf("writing the validator's source: %v", err)
	}
	s.modDir = modDir
	tmpMod := s.tmpModfile
	sums, _ := os.ReadFile(filepath.Join(s.tmp, "go.sum"))
	reqs, ourSums, err := srcmod.Requirements()
	if err != nil {
		return err
	}
	for _, line := range bytes.SplitAfter(ourSums, []byte("\n")) {
		if len(line) > 0 && !bytes.Contains(sums, line) {
			if len(sums) > 0 && sums[len(sums)-1] != '\n' {
				sums = append(sums, '\n')
			}
			sums = append(sums, line...)
		}
	}
	if err := os.WriteFile(filepath.Join(s.tmp, "go.sum"), sums, 0o644); err != nil {
		return err
	}
	edit := []string{"mod", "edit", "-require=" + srcmod.ModulePath + "@v0.0.0", "-replace=" + srcmod.ModulePath + "=" + modDir}
	for _, r := range reqs {
		p, v, _ := strings.Cut(r, " ")
		if !bytes.Contains(data, []byte(p+" ")) {
			edit = append(edit, "-require="+p+"@"+v)
		}
	}
	if _, err := goCmd(s.ctx, s.dir, s.goEnv, s.stderr, append(edit, tmpMod)...); err != nil {
		return err
	}
	if s.args.mod == "" {
		// The vendor directory, if any, lacks this module: ownModfile
		// chose -mod=mod.
		if _, err := os.Stat(filepath.Join(filepath.Dir(s.env.GOMOD), "vendor", "modules.txt")); err == nil {
			s.warnf("vendor/ is not used: the build needs this module's packages, which it lacks (-mod=mod)")
		}
	}
	return nil
}

// uploadPkg is the package that sends graphs to the daemon, the one part of
// the test support that links net/http.
const uploadPkg = srcmod.ModulePath + "/reports/upload"

// uploadStub returns the overlay that replaces package reports/upload of
// the embedded module with a stub that uploads nothing, when the run asks
// for no upload (neither LOCKDEP_DAEMON nor LOCKDEP_SAVE_DIR is set) and
// nothing but the test support imports it: test binaries then do not link
// net/http, whose first build costs more than the rest of the validator's.
func (s *session) uploadStub(pkgs []*listed) map[string][]byte {
	if s.modDir == "" || os.Getenv("LOCKDEP_DAEMON") != "" || os.Getenv("LOCKDEP_SAVE_DIR") != "" {
		return nil
	}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			if imp == uploadPkg && p.base() != srcmod.ModulePath+"/lockdep/lockdeptest" {
				return nil
			}
		}
	}
	files, err := srcmod.Files()
	if err != nil {
		return nil
	}
	out := map[string][]byte{}
	stub := []byte(uploadStubSource)
	for _, f := range files {
		dir, name := filepath.Split(f.Name)
		if dir != "reports/upload/" || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		out[filepath.Join(s.modDir, filepath.FromSlash(f.Name))] = stub
		stub = []byte("package upload\n")
	}
	return out
}

const uploadStubSource = `// Package upload, as lockdepd test builds it when no upload is asked for
// (LOCKDEP_DAEMON and LOCKDEP_SAVE_DIR unset): nothing to send, and no
// net/http in the test binaries.
package upload

// Enabled reports whether Flush would do anything: never, in this build.
func Enabled() bool { return false }

// CheckEnv checks the upload's environment: unset, in this build.
func CheckEnv() error { return nil }
`

// ownModfile makes the temporary go.mod (and go.sum) that the build uses,
// a copy of the module's (or of -modfile's), once.
func (s *session) ownModfile() error {
	if s.tmpModfile != "" {
		return nil
	}
	base := s.env.GOMOD
	if s.args.modfile != "" {
		base = s.abs(s.args.modfile)
	}
	data, err := os.ReadFile(base)
	if err != nil {
		return err
	}
	tmpMod := filepath.Join(s.tmp, "go.mod")
	if err := os.WriteFile(tmpMod, data, 0o644); err != nil {
		return err
	}
	sums, err := os.ReadFile(strings.TrimSuffix(base, ".mod") + ".sum")
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.WriteFile(filepath.Join(s.tmp, "go.sum"), sums, 0o644); err != nil {
		return err
	}
	s.tmpModfile = tmpMod
	s.modArgs = []string{"-modfile=" + tmpMod}
	if s.args.mod == "" {
		s.modArgs = append(s.modArgs, "-mod=mod")
	}
	return nil
}

var goLineRE = regexp.MustCompile(`(?m)^go\s+(\d+\.\d+)`)

// goLineVersion returns the "1.N" of a go.mod's go line.
func goLineVersion(goMod []byte) (string, bool) {
	m := goLineRE.FindSubmatch(goMod)
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// versionLess compares Go versions "1.N" and "1.N.P" ("go" prefix allowed).
func versionLess(a, b string) bool {
	pa, pb := versionParts(a), versionParts(b)
	for i := range pa {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return false
}

func versionParts(v string) [3]int {
	var p [3]int
	v = strings.TrimPrefix(v, "go")
	for i, f := range strings.SplitN(v, ".", 3) {
		n := 0
		for _, c := range f {
			if c < '0' || c > '9' {
				break
			}
			n = n*10 + int(c-'0')
		}
		p[i] = n
	}
	return p
}
