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
// followed by the upload's JSON exactly as received.
var uploadsBucket = []byte("uploads")

// DBName is the database file in the data directory.
const DBName = "lockdepd.db"

// store is the durable list of uploads.
type store struct {
	db *bolt.DB
}

// stored is one upload read back from the store.
type stored struct {
	seq  uint64
	at   time.Time
	data []byte
}

// openStore opens (creating) the database in dir. It fails after a second
// if another daemon holds it.
func openStore(dir string) (*store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	db, err := bolt.Open(filepath.Join(dir, DBName), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("%s is in use by another lockdepd", filepath.Join(dir, DBName))
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
	return &store{db: db}, nil
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
		val := make([]byte, 8+len(data))
		binary.BigEndian.PutUint64(val, uint64(at.UnixNano()))
		copy(val[8:], data)
		if err := b.Put(seqKey(n), val); err != nil {
			return err
		}
		seq = n
		return nil
	})
	return seq, err
}

// all returns every upload, in sequence order.
func (s *store) all() ([]stored, error) {
	var out []stored
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(uploadsBucket).ForEach(func(k, v []byte) error {
			if len(k) != 8 || len(v) < 8 {
				return fmt.Errorf("corrupt entry %x", k)
			}
			out = append(out, stored{
				seq:  binary.BigEndian.Uint64(k),
				at:   time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC(),
				data: append([]byte(nil), v[8:]...),
			})
			return nil
		})
	})
	return out, err
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

func (s *store) close() error { return s.db.Close() }

func seqKey(n uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, n)
	return k
}
