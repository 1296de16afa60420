// Package srcmod carries the source of the packages that a program built
// by "lockdepd test" links (the validator, the lock types, the test
// support and what they import from this module), so that a lockdepd
// binary works in any module, one that does not require this one: it
// writes them out as a module directory and points a replace directive at
// it.
//
// The source is kept in module.txtar, generated from this repository by
// "go generate" (gen.go); TestUpToDate fails when the tree has changed
// since.
package srcmod

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

//go:generate go run gen.go

// ModulePath is the module whose packages the archive holds.
const ModulePath = "github.com/golockdep/lockdep"

// The embedded module's go line is ModuleGoVersion, the oldest whose
// language has the generic types that rewritten code uses, so that a module
// whose go line is older than this repository's is not raised past it by
// the requirement (go 1.22 changed the meaning of loop variables). Extract
// gives every file the build constraint FilesGoVersion, this repository's
// go line, which its code needs: a file's constraint raises its language
// version above its module's.
const (
	ModuleGoVersion = "1.18"
	FilesGoVersion  = "go1.22"
)

//go:embed module.txtar
var archive []byte

// File is one file of the module.
type File struct {
	Name string // slash-separated, relative to the module root
	Data []byte
}

// Files returns the files of the embedded module: go.mod, go.sum and the
// packages' sources.
func Files() ([]File, error) { return Parse(archive) }

// Hash identifies the embedded module's content.
func Hash() string {
	h := sha256.Sum256(archive)
	return hex.EncodeToString(h[:8])
}

// Parse reads an archive: each file is a line "-- NAME --" and the
// file's content.
func Parse(data []byte) ([]File, error) {
	var files []File
	cur := -1
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		if name, ok := header(line); ok {
			files = append(files, File{Name: name})
			cur = len(files) - 1
			continue
		}
		if cur < 0 {
			return nil, errors.New("srcmod: archive does not start with a file header")
		}
		files[cur].Data = append(files[cur].Data, line...)
	}
	return files, nil
}

func header(line []byte) (string, bool) {
	s := strings.TrimSuffix(string(line), "\n")
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < 7 {
		return "", false
	}
	return s[3 : len(s)-3], true
}

// Format writes files as an archive, sorted by name. A line of a file that
// would read as a header is an error.
func Format(files []File) ([]byte, error) {
	files = append([]File(nil), files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var buf bytes.Buffer
	for _, f := range files {
		fmt.Fprintf(&buf, "-- %s --\n", f.Name)
		for _, line := range bytes.SplitAfter(f.Data, []byte("\n")) {
			if _, ok := header(line); ok {
				return nil, fmt.Errorf("%s: a line reads as an archive header: %q", f.Name, line)
			}
		}
		buf.Write(f.Data)
		if len(f.Data) > 0 && f.Data[len(f.Data)-1] != '\n' {
			return nil, fmt.Errorf("%s: does not end with a newline", f.Name)
		}
	}
	return buf.Bytes(), nil
}

// Extract writes the embedded module under cacheDir, in a directory named
// after its content hash, unless it is there already, and returns the
// directory. The directory's path is stable from run to run, so that go's
// build cache keeps the compiled packages.
func Extract(cacheDir string) (string, error) {
	dir := filepath.Join(cacheDir, "module-v2-"+Hash())
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		return dir, nil
	}
	files, err := Files()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(cacheDir, "module-tmp-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	for _, f := range files {
		p := filepath.Join(tmp, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		data := f.Data
		if strings.HasSuffix(f.Name, ".go") {
			data = withGoVersion(data)
		}
		if err := os.WriteFile(p, data, 0o444); err != nil {
			return "", err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another run got there first.
		if _, serr := os.Stat(filepath.Join(dir, "go.mod")); serr == nil {
			return dir, nil
		}
		return "", err
	}
	return dir, nil
}

// Requirements returns the module's requirements ("path version") and the
// go.sum lines that check them.
func Requirements() (reqs []string, sums []byte, err error) {
	files, err := Files()
	if err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		switch f.Name {
		case "go.mod":
			for _, line := range strings.Split(string(f.Data), "\n") {
				if rest, ok := strings.CutPrefix(line, "require "); ok {
					reqs = append(reqs, strings.TrimSpace(rest))
				}
			}
		case "go.sum":
			sums = f.Data
		}
	}
	return reqs, sums, nil
}

// withGoVersion adds FilesGoVersion to a Go file's build constraint, on the
// constraint's own line if it has one (before the package clause).
func withGoVersion(src []byte) []byte {
	at := 0
	for at < len(src) {
		end := bytes.IndexByte(src[at:], '\n')
		if end < 0 {
			end = len(src) - at
		}
		line := src[at : at+end]
		if bytes.HasPrefix(line, []byte("package ")) {
			break
		}
		if expr, ok := bytes.CutPrefix(line, []byte("//go:build ")); ok {
			out := append([]byte(nil), src[:at]...)
			out = append(out, fmt.Sprintf("//go:build (%s) && %s", expr, FilesGoVersion)...)
			return append(out, src[at+end:]...)
		}
		at += end + 1
	}
	return append([]byte("//go:build "+FilesGoVersion+"\n\n"), src...)
}
