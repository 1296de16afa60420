package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/golockdep/lockdep/cmd/lockdepd/internal/rewrite"
)

// The rewrite cache: the Facts of a package, by a key that covers
// everything they depend on (see analysis.key), so that a warm run parses
// and type-checks only what changed. It lives in the user cache directory
// (LOCKDEPD_CACHE overrides it; "off" disables it) beside the embedded
// module's source; entries unused for a fortnight are removed, at most
// once a day.

// cacheDir returns the cache directory, or "" when caching is off or there
// is no place for it.
func cacheDir() string {
	switch d := os.Getenv("LOCKDEPD_CACHE"); d {
	case "off":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(base, "lockdepd")
	default:
		return d
	}
}

type factsCache struct{ dir string }

func newFactsCache(dir string) *factsCache {
	if dir == "" {
		return &factsCache{}
	}
	c := &factsCache{dir: filepath.Join(dir, "facts")}
	c.trim()
	return c
}

func (c *factsCache) path(key string) string { return filepath.Join(c.dir, key[:2], key+".json") }

func (c *factsCache) get(key string) *rewrite.Facts {
	if c.dir == "" {
		return nil
	}
	b, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil
	}
	f := &rewrite.Facts{}
	if json.Unmarshal(b, f) != nil {
		return nil
	}
	now := time.Now()
	os.Chtimes(c.path(key), now, now) // in use: keep it
	return f
}

func (c *factsCache) put(key string, f *rewrite.Facts) {
	if c.dir == "" {
		return
	}
	b, err := json.Marshal(f)
	if err != nil {
		return
	}
	p := c.path(key)
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-")
	if err != nil {
		return
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil && cerr == nil {
		os.Rename(tmp.Name(), p)
	}
	os.Remove(tmp.Name())
}

// trim removes entries unused for maxAge, once a day.
func (c *factsCache) trim() {
	const maxAge = 14 * 24 * time.Hour
	stamp := filepath.Join(c.dir, "trimmed")
	if st, err := os.Stat(stamp); err == nil && time.Since(st.ModTime()) < 24*time.Hour {
		return
	}
	os.MkdirAll(c.dir, 0o755)
	os.WriteFile(stamp, nil, 0o644)
	filepath.WalkDir(c.dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == stamp {
			return nil
		}
		if info, err := d.Info(); err == nil && time.Since(info.ModTime()) > maxAge {
			os.Remove(p)
		}
		return nil
	})
}

var (
	toolOnce sync.Once
	toolHash string
)

// toolID identifies this program: the hash of its executable, so that a
// new lockdepd never reuses an older one's analyses.
func toolID() string {
	toolOnce.Do(func() {
		toolHash = "unknown"
		exe, err := os.Executable()
		if err != nil {
			return
		}
		f, err := os.Open(exe)
		if err != nil {
			return
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err == nil {
			toolHash = fmt.Sprintf("%x", h.Sum(nil))
		}
	})
	return toolHash
}
