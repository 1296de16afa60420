package daemon

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golockdep/lockdep/reports"
)

// uploadPath is where uploads are posted (reports/upload.Path).
const uploadPath = "/api/v1/upload"

// uploadReply is the body of a successful upload.
type uploadReply struct {
	ID uint64 `json:"id"` // the upload's sequence number
}

// handleUpload decodes, validates and stores one upload, then merges it.
// It answers 200 only once the upload is durable; any problem with the
// body is a 4xx with a message, and nothing is stored. At most
// Config.MaxUploads are read and decoded at once: one more waits, its body
// unread, up to Config.UploadWait for its turn and is then answered 429.
// Decoded uploads wait to be stored and merged within a budget of
// MaxUploads times the size limit of JSON (budget.go).
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	wait := time.NewTimer(s.cfg.UploadWait)
	select {
	case s.slots <- struct{}{}:
		wait.Stop()
	case <-r.Context().Done():
		wait.Stop()
		return
	case <-wait.C:
		w.Header().Set("Retry-After", "1")
		httpError(w, http.StatusTooManyRequests, fmt.Sprintf("%d uploads are being taken already (-max-uploads); retry later", cap(s.slots)))
		return
	}
	slot := true
	freeSlot := func() {
		if slot {
			<-s.slots
			slot = false
		}
	}
	defer freeSlot()
	lim := s.lim
	// The content codings an upload may have (RFC 7694), so that a
	// client may fall back to none for a daemon that does not say this.
	w.Header().Set("Accept-Encoding", "gzip")
	data, code, err := readBody(w, r, lim.MaxBytes)
	if err != nil {
		s.refuse(w, r, code, err)
		return
	}
	u, err := reports.DecodeBytes(data, lim)
	if err != nil {
		s.refuse(w, r, statusOf(err), err)
		return
	}
	// Stored re-encoded: compact, whatever padding the body had.
	data, err = json.Marshal(u)
	if err != nil {
		httpError(w, http.StatusInternalServerError, "encoding the upload: "+err.Error())
		return
	}
	data = append(data, '\n')
	// Decoded: leave the slot to the next upload, and wait for the
	// bytes this one holds until it is stored and merged.
	held := s.inflight.acquire(int64(len(data)))
	defer s.inflight.release(held)
	freeSlot()
	at := time.Now().UTC()
	seq, err := s.store.put(data, at)
	if err != nil {
		s.log.Printf("storing an upload from %s: %v", u.Identity.Source(), err)
		httpError(w, http.StatusInternalServerError, "storing the upload: "+err.Error())
		return
	}
	s.add(seq, int64(len(data)), reports.Received{Upload: u, At: at})
	if s.prune(at) {
		s.rebuildLater()
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(uploadReply{ID: seq})
}

// readBody reads an upload's body, decompressing it if it is sent with
// Content-Encoding: gzip. The body as sent and the upload it decompresses
// to are each bounded by max; a body over max by its Content-Length is
// refused before it is read (a client that sent "Expect: 100-continue"
// then never sends it), and one that decompresses to more is read to its
// end (it is at most max) before the refusal, so that the client reads
// the answer rather than a reset connection.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, int, error) {
	gz := false
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		gz = true
	default:
		return nil, http.StatusUnsupportedMediaType, fmt.Errorf("Content-Encoding %q not supported; send gzip or no encoding", enc)
	}
	if r.ContentLength > max {
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("%w: %s, limit %s", reports.ErrTooLarge, reports.MiB(r.ContentLength), reports.MiB(max))
	}
	body := http.MaxBytesReader(w, r.Body, max)
	tooLarge := func(err error) (int, error) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return http.StatusRequestEntityTooLarge, fmt.Errorf("%w: the body is over the limit of %s", reports.ErrTooLarge, reports.MiB(max))
		}
		return http.StatusBadRequest, fmt.Errorf("reading the body: %v", err)
	}
	if !gz {
		data, err := io.ReadAll(body)
		if err != nil {
			code, err := tooLarge(err)
			return nil, code, err
		}
		return data, 0, nil
	}
	zr, err := gzip.NewReader(body)
	if err != nil {
		if code, err := tooLarge(err); code == http.StatusRequestEntityTooLarge {
			return nil, code, err
		}
		io.Copy(io.Discard, body)
		return nil, http.StatusBadRequest, fmt.Errorf("%w: Content-Encoding gzip, but the body is not gzip: %v", reports.ErrMalformed, err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, max+1))
	if err != nil {
		if code, err := tooLarge(err); code == http.StatusRequestEntityTooLarge {
			return nil, code, err
		}
		io.Copy(io.Discard, body)
		return nil, http.StatusBadRequest, fmt.Errorf("%w: decompressing the body: %v", reports.ErrMalformed, err)
	}
	if int64(len(data)) > max {
		io.Copy(io.Discard, body)
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("%w: the gzip body decompresses to over the limit of %s", reports.ErrTooLarge, reports.MiB(max))
	}
	return data, 0, nil
}

// statusOf maps a decoding error to its HTTP status.
func statusOf(err error) int {
	switch {
	case errors.Is(err, reports.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, reports.ErrInvalid):
		return http.StatusUnprocessableEntity
	}
	return http.StatusBadRequest // malformed, wrong version
}

func (s *Server) refuse(w http.ResponseWriter, r *http.Request, code int, err error) {
	s.log.Printf("refused an upload from %s: %d: %v", r.RemoteAddr, code, err)
	httpError(w, code, err.Error())
}

// uploadInfo lists one stored upload.
type uploadInfo struct {
	ID uint64 `json:"id"`
	reports.Run
}

// handleUploads lists the stored uploads.
func (s *Server) handleUploads(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	list := make([]uploadInfo, 0, len(s.index))
	for _, e := range s.index {
		list = append(list, uploadInfo{ID: e.seq, Run: e.run})
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(list)
}

// handleUpload1 serves one stored upload (as the daemon re-encoded it),
// for saving and "lockdepd report".
func (s *Server) handleUpload1(w http.ResponseWriter, r *http.Request) {
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil {
		httpError(w, http.StatusBadRequest, "upload id must be a number")
		return
	}
	data, ok, err := s.store.get(seq)
	switch {
	case err != nil:
		httpError(w, http.StatusInternalServerError, err.Error())
	case !ok:
		httpError(w, http.StatusNotFound, fmt.Sprintf("no upload %d", seq))
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
	}
}
