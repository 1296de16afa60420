package daemon

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golockdep/lockdep/internal/uploadtest"
)

// FuzzScanLeaf: the salvage scanner reads damaged pages without a panic,
// and whatever it takes is shaped like an upload.
func FuzzScanLeaf(f *testing.F) {
	dir := f.TempDir()
	s, err := New(Config{DataDir: dir})
	if err != nil {
		f.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := s.store.put(uploadtest.Encoded(f, "a.test", i, "A->B"), time.Unix(1, 0)); err != nil {
			f.Fatal(err)
		}
	}
	s.Close()
	data, err := os.ReadFile(filepath.Join(dir, DBName))
	if err != nil {
		f.Fatal(err)
	}
	for off := 0; off+4096 <= len(data); off += 4096 {
		f.Add(data[off : off+4096])
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		scanLeaf(page, func([]byte) bool { return true }, func(seq uint64, v []byte) bool {
			if len(v) < 8 {
				t.Fatalf("entry %d of %d bytes taken", seq, len(v))
			}
			return true
		}, 0)
	})
}
