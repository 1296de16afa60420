package daemon

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A damaged store must not crash the daemon, and bbolt may crash on one:
// it reads the file through a memory map, so a truncated file faults
// (SIGBUS or SIGSEGV, which recover cannot catch) and garbage pages fail
// its assertions, some of them on goroutines of its own. So the store is
// checked before the daemon opens it, in two steps: the meta pages and
// the file's length are checked here by reading the file (no map), then
// bbolt's consistency check and a walk of every upload run in a child
// process, the daemon's own executable re-run with checkEnv set
// (RunStoreCheck), where a crash costs only the child.

// checkEnv names the store a re-executed daemon is to check.
const checkEnv = "LOCKDEPD_STORE_CHECK"

// checkMarker starts the child's verdict on its standard output.
const checkMarker = "lockdepd-store-check: "

// checkTimeout bounds the child's check.
const checkTimeout = 10 * time.Minute

// errInUse: another daemon holds the store.
var errInUse = errors.New("in use")

// checkStore returns nil if the store at path is absent or sound, errInUse
// if another process holds it, or why it is damaged.
func checkStore(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Size() == 0 {
		return errors.New("the file is empty (zero bytes)")
	}
	if _, err := checkMeta(path, fi.Size()); err != nil {
		return err
	}
	return checkInChild(path)
}

// meta is the part of a bbolt meta page the checks need.
type meta struct {
	pageSize uint32
	pgid     uint64 // pages in use: the file holds at least pgid pages
	txid     uint64
}

// bbolt's file format (version 2): a page header is 16 bytes; a meta page
// holds magic, version, page size, flags, the root bucket (16 bytes), the
// freelist page, the page high-water mark, the transaction id and an
// FNV-64a checksum of the bytes before it.
const (
	pageHeader = 16
	boltMagic  = 0xED0CDAED
	metaSize   = 64
)

// checkMeta reads the two meta pages and returns the newer valid one; the
// file must be long enough for every page it says is in use.
func checkMeta(path string, size int64) (meta, error) {
	f, err := os.Open(path)
	if err != nil {
		return meta{}, err
	}
	defer f.Close()
	m0, err0 := readMeta(f, 0)
	var m1 meta
	err1 := err0
	if err0 == nil {
		m1, err1 = readMeta(f, int64(m0.pageSize))
	} else {
		m1, err1 = readMeta(f, int64(os.Getpagesize()))
	}
	best, err := m0, err0
	if err1 == nil && (err0 != nil || m1.txid > m0.txid) {
		best, err = m1, nil
	}
	if err != nil {
		return meta{}, fmt.Errorf("no valid meta page: %v", err0)
	}
	if need := int64(best.pgid) * int64(best.pageSize); need > size {
		return meta{}, fmt.Errorf("the file is %d bytes but its pages need %d: truncated", size, need)
	}
	return best, nil
}

func readMeta(r io.ReaderAt, off int64) (meta, error) {
	b := make([]byte, pageHeader+metaSize)
	if _, err := r.ReadAt(b, off); err != nil {
		return meta{}, fmt.Errorf("reading the meta page at %d: %v", off, err)
	}
	m := b[pageHeader:]
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != 2 {
		return meta{}, errors.New("not a bbolt version 2 meta page")
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return meta{}, errors.New("meta page checksum mismatch")
	}
	ps := le.Uint32(m[8:])
	if ps < 512 || ps > 1<<20 || ps&(ps-1) != 0 {
		return meta{}, fmt.Errorf("page size %d", ps)
	}
	return meta{pageSize: ps, pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, nil
}

// checkInChild runs the full check in a re-executed daemon. A binary that
// does not call RunStoreCheck exits 0 without a verdict (for a test
// binary, -test.run=^$ runs nothing); the check is then skipped, as it is
// when the executable cannot be run or takes over checkTimeout.
func checkInChild(path string) error {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), checkEnv+"="+path)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	runErr := cmd.Run()
	text := out.String()
	i := strings.Index(text, checkMarker)
	if i < 0 {
		var exit *exec.ExitError
		if runErr == nil || !errors.As(runErr, &exit) || ctx.Err() != nil {
			// No check in this binary, no binary to run (replaced
			// since it started), or no verdict in time: the meta
			// pages were sound, so open it.
			return nil
		}
		return fmt.Errorf("checking it crashed the checker (%v): %s", runErr, lastLine(text))
	}
	verdict, _, _ := strings.Cut(text[i+len(checkMarker):], "\n")
	switch {
	case verdict == "ok":
		return nil
	case verdict == "in use":
		return errInUse
	}
	return errors.New(strings.TrimPrefix(verdict, "damaged: "))
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// RunStoreCheck checks the store named by checkEnv and exits, if this
// process was started to do that; otherwise it returns at once. lockdepd
// calls it first thing, and so do the tests of packages that start a
// daemon.
func RunStoreCheck() {
	path := os.Getenv(checkEnv)
	if path == "" {
		return
	}
	verdict, code := checkBolt(path), 3
	if verdict == "ok" || verdict == "in use" {
		code = 0
	}
	fmt.Printf("%s%s\n", checkMarker, verdict)
	os.Exit(code)
}

// checkBolt opens the store read-only and runs bbolt's consistency check
// and a walk of the uploads; it may crash on a damaged file.
func checkBolt(path string) string {
	// bbolt creates a missing file, even read-only: a check must not.
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return fmt.Sprintf("damaged: the file is gone or empty at the check (%v)", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return "in use"
	}
	if err != nil {
		return "damaged: " + err.Error()
	}
	defer db.Close()
	var problems []string
	err = db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			if len(problems) < 5 {
				problems = append(problems, e.Error())
			}
		}
		b := tx.Bucket(uploadsBucket)
		if b == nil {
			return nil // created on first open
		}
		return b.ForEach(func(k, v []byte) error {
			if len(k) != 8 || len(v) < 8 {
				return fmt.Errorf("entry %x is not an upload", k)
			}
			return nil
		})
	})
	if err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return "damaged: " + strings.Join(problems, "; ")
	}
	return "ok"
}
