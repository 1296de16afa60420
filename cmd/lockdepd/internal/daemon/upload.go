package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/golockdep/lockdep/reports"
)

// uploadPath is where uploads are posted (reports/upload.Path).
const uploadPath = "/api/v1/upload"

// uploadReply is the body of a successful upload.
type uploadReply struct {
	ID uint64 `json:"id"` // the upload's sequence number
}

// handleUpload decodes, validates and stores one upload. It answers 200
// only once the upload is durable; any problem with the body is a 4xx with
// a message, and nothing is stored.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	lim := s.cfg.Limits
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = reports.MaxUploadBytes
	}
	if r.ContentLength > lim.MaxBytes {
		s.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("%w: %d bytes, at most %d allowed", reports.ErrTooLarge, r.ContentLength, lim.MaxBytes))
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, lim.MaxBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("%w: more than %d bytes", reports.ErrTooLarge, lim.MaxBytes))
			return
		}
		s.refuse(w, r, http.StatusBadRequest, fmt.Errorf("reading the body: %v", err))
		return
	}
	u, err := reports.DecodeBytes(data, lim)
	if err != nil {
		s.refuse(w, r, statusOf(err), err)
		return
	}
	at := time.Now().UTC()
	seq, err := s.store.put(data, at)
	if err != nil {
		s.log.Printf("storing an upload from %s: %v", u.Identity.Source(), err)
		httpError(w, http.StatusInternalServerError, "storing the upload: "+err.Error())
		return
	}
	s.mu.Lock()
	s.uploads = append(s.uploads, reports.Received{Upload: u, At: at})
	s.seqs = append(s.seqs, seq)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(uploadReply{ID: seq})
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
	list := make([]uploadInfo, 0, len(s.uploads))
	for i, rc := range s.uploads {
		u := rc.Upload
		list = append(list, uploadInfo{ID: s.seqs[i], Run: reports.Run{Identity: u.Identity, Received: rc.At,
			Classes: len(u.Classes), Edges: len(u.Edges), Reports: len(u.Reports)}})
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(list)
}

// handleUpload1 serves one stored upload as it was received, for saving
// and "lockdepd report".
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
