package daemon

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// salvage moves the damaged store at path aside and recovers every
// upload it can read into a fresh store at path. It reads the damaged
// file page by page itself, never through bbolt, so nothing in it can
// crash the daemon: every leaf page (and inline bucket) is scanned for
// entries shaped like uploads (8-byte key, a time and JSON that the
// caller's valid accepts). It returns the message to log.
func salvage(path string, cause error, valid func([]byte) bool) (string, error) {
	aside := fmt.Sprintf("%s.damaged-%s", path, time.Now().UTC().Format("20060102T150405Z"))
	if err := os.Rename(path, aside); err != nil {
		return "", fmt.Errorf("the store %s is damaged (%v) and could not be moved aside: %w", path, cause, err)
	}
	st, err := openBolt(path)
	if err != nil {
		return "", err
	}
	defer st.close()
	w := &salvageWriter{st: st, seen: map[uint64]bool{}}
	if err := scanUploads(aside, valid, w.add); err != nil {
		return "", fmt.Errorf("the store %s is damaged (%v); moved to %s; reading it: %w", path, cause, aside, err)
	}
	if err := w.flush(); err != nil {
		return "", fmt.Errorf("writing the recovered uploads to a fresh %s: %w", path, err)
	}
	return fmt.Sprintf("the store %s was damaged (%v): it is kept as %s, and the %d upload(s) that could be read were recovered into a fresh store",
		path, cause, aside, len(w.seen)), nil
}

// salvageWriter writes recovered uploads to the fresh store in batches
// of at most salvageBatch bytes, so that a big store is not held in
// memory, and raises the store's sequence past every one.
type salvageWriter struct {
	st      *store
	seen    map[uint64]bool
	pending map[uint64][]byte
	bytes   int
	maxSeq  uint64
	err     error
}

const salvageBatch = 64 << 20

func (w *salvageWriter) add(seq uint64, val []byte) bool {
	if w.seen[seq] || w.err != nil {
		return false
	}
	w.seen[seq] = true
	if w.pending == nil {
		w.pending = map[uint64][]byte{}
	}
	w.pending[seq] = append([]byte(nil), val...)
	w.bytes += len(val)
	w.maxSeq = max(w.maxSeq, seq)
	if w.bytes >= salvageBatch {
		w.err = w.flush()
	}
	return true
}

func (w *salvageWriter) flush() error {
	if w.err != nil {
		return w.err
	}
	seqs := make([]uint64, 0, len(w.pending))
	for seq := range w.pending {
		seqs = append(seqs, seq)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	err := w.st.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(uploadsBucket)
		for _, seq := range seqs {
			if err := b.Put(seqKey(seq), w.pending[seq]); err != nil {
				return err
			}
		}
		if w.maxSeq > b.Sequence() {
			return b.SetSequence(w.maxSeq)
		}
		return nil
	})
	w.pending, w.bytes = nil, 0
	return err
}

// bbolt page flags and the leaf element flag for a sub-bucket.
const (
	leafPage   = 0x02
	bucketLeaf = 0x01
	leafElem   = 16 // flags, pos, ksize, vsize: four uint32
)

// scanUploads reads every page of a bbolt file and passes the entries
// shaped like uploads to found (which says whether it took the entry:
// the first valid one of each sequence number).
func scanUploads(path string, valid func([]byte) bool, found func(seq uint64, val []byte) bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	ps := int64(os.Getpagesize())
	if m, err := checkMeta(path, 1<<62); err == nil {
		ps = int64(m.pageSize)
	} else if m, err := readMeta(f, 0); err == nil {
		ps = int64(m.pageSize)
	}
	hdr := make([]byte, pageHeader)
	for off := 2 * ps; off+pageHeader <= size; off += ps {
		if _, err := f.ReadAt(hdr, off); err != nil {
			return err
		}
		flags := binary.LittleEndian.Uint16(hdr[8:])
		overflow := int64(binary.LittleEndian.Uint32(hdr[12:]))
		if flags != leafPage {
			continue
		}
		n := (overflow + 1) * ps
		if overflow > size/ps || off+n > size {
			n = size - off // a damaged header or a cut file: read what is there
		}
		page := make([]byte, n)
		if _, err := f.ReadAt(page, off); err != nil && err != io.EOF {
			return err
		}
		scanLeaf(page, valid, found, 0)
		if off+n <= size && overflow <= size/ps {
			off += overflow * ps
		}
	}
	return nil
}

// scanLeaf collects the upload-shaped entries of one leaf page, and of
// the inline buckets it holds (depth bounds their nesting).
func scanLeaf(page []byte, valid func([]byte) bool, found func(uint64, []byte) bool, depth int) {
	le := binary.LittleEndian
	if len(page) < pageHeader {
		return
	}
	count := int(le.Uint16(page[10:]))
	for i := 0; i < count; i++ {
		at := pageHeader + i*leafElem
		if at+leafElem > len(page) {
			return
		}
		fl := le.Uint32(page[at:])
		pos, ks, vs := uint64(le.Uint32(page[at+4:])), uint64(le.Uint32(page[at+8:])), uint64(le.Uint32(page[at+12:]))
		start := uint64(at) + pos
		if start+ks+vs > uint64(len(page)) {
			continue
		}
		k, v := page[start:start+ks], page[start+ks:start+ks+vs]
		switch {
		case fl&bucketLeaf != 0:
			// A sub-bucket: its root page id, sequence, and for an
			// inline bucket (root 0) its page right after.
			if len(v) > 16 && le.Uint64(v) == 0 && depth < 2 {
				scanLeaf(v[16:], valid, found, depth+1)
			}
		case len(k) == 8 && len(v) >= 8:
			if valid(v[8:]) {
				found(binary.BigEndian.Uint64(k), v)
			}
		}
	}
}
