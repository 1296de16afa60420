package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// go build does not let an overlay replace a file in the module cache, so
// with -deps a dependency whose files are rewritten is built from a copy:
// the directories of its packages in the build and its go.mod, with the
// rewritten files in place, in the cache (content-addressed, so that the
// path, and go's build cache, are stable from run to run), and a replace
// directive in the temporary go.mod points at it.

// depCopies moves the rewritten files of modules in the module cache out
// of the overlay into copies of those modules, and adds the replace
// directives. files maps original paths to rewritten content.
func (s *session) depCopies(files map[string][]byte, nodes []*listed) error {
	modCache := s.env.GOMODCACHE
	if modCache == "" {
		return nil
	}
	type module struct {
		path, version, dir string
		pkgDirs            map[string]bool
		files              []string
	}
	mods := map[string]*module{}
	for _, p := range nodes {
		m := p.Module
		if m == nil || m.Main || m.Dir == "" || !within(m.Dir, modCache) {
			continue
		}
		key := m.Path + "@" + m.Version
		if mods[key] == nil {
			mods[key] = &module{path: m.Path, version: m.Version, dir: m.Dir, pkgDirs: map[string]bool{}}
		}
		mods[key].pkgDirs[p.Dir] = true
	}
	var edits []string
	for f := range files {
		for _, m := range mods {
			if within(f, m.dir) {
				m.files = append(m.files, f)
			}
		}
	}
	for _, m := range mods {
		if len(m.files) == 0 {
			continue
		}
		sort.Strings(m.files)
		h := sha256.New()
		fmt.Fprintf(h, "%s\n%s@%s\n", toolID(), m.path, m.version)
		for _, f := range m.files {
			fmt.Fprintf(h, "%s %x\n", f, sha256.Sum256(files[f]))
		}
		root := s.cacheDir
		if root == "" {
			root = s.tmp
		}
		dst := filepath.Join(root, "deps", strings.ReplaceAll(m.path, "/", "_")+"@"+m.version+"-"+fmt.Sprintf("%x", h.Sum(nil))[:12])
		if err := copyModule(m.dir, dst, m.pkgDirs, m.files, files); err != nil {
			return fmt.Errorf("copying %s@%s: %v", m.path, m.version, err)
		}
		for _, f := range m.files {
			delete(files, f)
		}
		edits = append(edits, "-replace="+m.path+"@"+m.version+"="+dst)
	}
	if len(edits) == 0 {
		return nil
	}
	if err := s.ownModfile(); err != nil {
		return err
	}
	_, err := goCmd(s.ctx, s.dir, s.goEnv, s.stderr, append(append([]string{"mod", "edit"}, edits...), s.tmpModfile)...)
	return err
}

// copyModule writes into dst, unless it is there already, the go.mod of
// the module in src, every file of its package directories pkgDirs, and
// the rewritten files over the originals.
func copyModule(src, dst string, pkgDirs map[string]bool, rewritten []string, content map[string][]byte) error {
	if _, err := os.Stat(filepath.Join(dst, "go.mod")); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), ".copy-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	copyFile := func(from, to string, data []byte) error {
		if data == nil {
			var err error
			if data, err = os.ReadFile(from); err != nil {
				return err
			}
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	}
	for d := range pkgDirs {
		rel, err := filepath.Rel(src, d)
		if err != nil {
			return err
		}
		entries, err := os.ReadDir(d)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.Type().IsRegular() {
				if err := copyFile(filepath.Join(d, e.Name()), filepath.Join(tmp, rel, e.Name()), nil); err != nil {
					return err
				}
			}
		}
	}
	for _, f := range rewritten {
		rel, err := filepath.Rel(src, f)
		if err != nil {
			return err
		}
		if err := copyFile(f, filepath.Join(tmp, rel), content[f]); err != nil {
			return err
		}
	}
	goMod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	// The rewritten files use generic types: go 1.18 at least (a go.mod
	// without a go line means go 1.16).
	if v, ok := goLineVersion(goMod); !ok && goMod != nil {
		goMod = append(goMod, "\ngo 1.18\n"...)
	} else if ok && versionLess(v, "1.18") {
		goMod = goLineRE.ReplaceAll(goMod, []byte("go 1.18"))
	}
	// After the package files: a package at the module's root has it.
	if goMod != nil {
		if err := copyFile("", filepath.Join(tmp, "go.mod"), goMod); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		if _, serr := os.Stat(filepath.Join(dst, "go.mod")); serr == nil {
			return nil // another run made it
		}
		return err
	}
	return nil
}

// within reports whether path is dir or below it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
