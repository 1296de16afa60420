package daemon

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// uploadsBucket holds one entry per upload: key the 8-byte big-endian
// sequence number, value the 8-byte receive time (Unix nanoseconds)
// followed by the upload's JSON, re-encoded compactly by the daemon.
var uploadsBucket = []byte("uploads")

// DBName is the database file in the data directory.
const DBName = "lockdepd.db"

// store is the durable list of uploads.
type store struct {
	db   *bolt.DB
	path string
}

// openStore opens (creating) the database in dir, after checking it
// (checkStore): a damaged file is moved aside and what can be read of it
// recovered into a fresh one (the uploads valid accepts), with a message
// on warn. It fails after a second if another daemon holds the file.
func openStore(dir string, warn func(string), valid func([]byte) bool) (*store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, DBName)
	if err := checkStore(path); err != nil {
		if errors.Is(err, errInUse) {
			return nil, fmt.Errorf("%s is in use by another lockdepd", path)
		}
		msg, rerr := salvage(path, err, valid)
		if rerr != nil {
			return nil, rerr
		}
		warn(msg)
	}
	return openBolt(path)
}

func openBolt(path string) (*store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("%s is in use by another lockdepd", path)
		}
		return nil, err
	}
	if db.NoSync {
		db.Close()
		return nil, errors.New("bbolt opened without fsync") // never: NoSync is off by default
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(uploadsBucket)
		return err
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &store{db: db, path: path}, nil
}

// put stores one upload and returns its sequence number once the commit,
// fsync included, is done. Concurrent puts are committed in batches.
func (s *store) put(data []byte, at time.Time) (uint64, error) {
	var seq uint64
	err := s.db.Batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(uploadsBucket)
		n, err := b.NextSequence()
		if err != nil {
			return err
		}
		if err := b.Put(seqKey(n), entryValue(data, at)); err != nil {
			return err
		}
		seq = n
		return nil
	})
	return seq, err
}

func entryValue(data []byte, at time.Time) []byte {
	val := make([]byte, 8+len(data))
	binary.BigEndian.PutUint64(val, uint64(at.UnixNano()))
	copy(val[8:], data)
	return val
}

// each calls f for every upload in sequence order, from one read
// transaction, without copying: data is valid only during the call. An
// entry of the wrong shape is passed to bad and skipped.
func (s *store) each(f func(seq uint64, at time.Time, data []byte) error, bad func(key []byte)) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(uploadsBucket).ForEach(func(k, v []byte) error {
			if len(k) != 8 || len(v) < 8 {
				bad(k)
				return nil
			}
			return f(binary.BigEndian.Uint64(k), time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC(), v[8:])
		})
	})
}

// get returns one upload's JSON.
func (s *store) get(seq uint64) ([]byte, bool, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(uploadsBucket).Get(seqKey(seq)); len(v) >= 8 {
			out = append([]byte(nil), v[8:]...)
		}
		return nil
	})
	return out, out != nil, err
}

// remove deletes uploads, in one transaction.
func (s *store) remove(seqs []uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(uploadsBucket)
		for _, n := range seqs {
			if err := b.Delete(seqKey(n)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *store) close() error { return s.db.Close() }

func seqKey(n uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, n)
	return k
}
