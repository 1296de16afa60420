package daemon

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golockdep/lockdep/reports"
	"github.com/golockdep/lockdep/reports/render"
)

// Config configures a Server. Zero fields mean the documented defaults.
type Config struct {
	// DataDir holds the database (required).
	DataDir string
	// Token, if not empty, is the bearer token every request must carry.
	Token string
	// Limits bound each upload (default reports.DefaultLimits).
	// Limits.MaxBytes bounds both the body as sent and, for a
	// gzip-compressed body, the JSON it decompresses to.
	Limits reports.Limits
	// Log receives one line per refused upload and per load problem
	// (default: discarded).
	Log io.Writer
	// Page configures the web page (source links); see views.go.
	Page render.PageOptions
}

// Server is a running lockdepd: a store and the HTTP handlers over it.
type Server struct {
	cfg   Config
	store *store
	log   *log.Logger

	// mu guards the fields below; never held during a store commit.
	mu       sync.Mutex
	uploads  []reports.Received
	seqs     []uint64
	problems []string // stored uploads that no longer decode
	merged   *reports.Merged
	mergeN   int // len(uploads) when merged was computed
}

// ErrNeedToken is returned by CheckAddr for a non-loopback address
// without a token.
var ErrNeedToken = errors.New("lockdepd: a non-loopback address needs a bearer token (-token-file)")

// CheckAddr refuses to listen beyond loopback without a token. An address
// with an empty or unspecified host ("":7077, 0.0.0.0:7077) is not loopback.
func CheckAddr(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("lockdepd: bad address %q: %w", addr, err)
	}
	if token != "" || isLoopback(host) {
		return nil
	}
	return fmt.Errorf("%w; refusing to listen on %s", ErrNeedToken, addr)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// New opens the store in cfg.DataDir and loads the uploads it holds.
func New(cfg Config) (*Server, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("lockdepd: no data directory")
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	st, err := openStore(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("lockdepd: opening store: %w", err)
	}
	s := &Server{cfg: cfg, store: st, log: log.New(cfg.Log, "lockdepd: ", log.LstdFlags)}
	all, err := st.all()
	if err != nil {
		st.close()
		return nil, fmt.Errorf("lockdepd: reading store: %w", err)
	}
	for _, e := range all {
		lim := cfg.Limits // as when it was accepted, but whatever its size
		lim.MaxBytes = max(lim.MaxBytes, int64(len(e.data)))
		u, err := reports.DecodeBytes(e.data, lim)
		if err != nil {
			p := fmt.Sprintf("stored upload %d no longer decodes: %v", e.seq, err)
			s.problems = append(s.problems, p)
			s.log.Print(p)
			continue
		}
		s.uploads = append(s.uploads, reports.Received{Upload: u, At: e.at})
		s.seqs = append(s.seqs, e.seq)
	}
	return s, nil
}

// Close closes the store.
func (s *Server) Close() error { return s.store.close() }

// Count returns how many uploads the server holds.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.uploads)
}

// Handler returns the HTTP handler: uploads, the API and the views.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+uploadPath, s.handleUpload)
	mux.HandleFunc("GET /api/v1/uploads", s.handleUploads)
	mux.HandleFunc("GET /api/v1/uploads/{seq}", s.handleUpload1)
	for path, v := range views {
		mux.HandleFunc("GET "+path, s.view(v))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	return s.auth(mux)
}

// auth requires the bearer token, when there is one.
func (s *Server) auth(h http.Handler) http.Handler {
	if s.cfg.Token == "" {
		return h
	}
	want := []byte("Bearer " + s.cfg.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="lockdepd"`)
			httpError(w, http.StatusUnauthorized, "missing or wrong bearer token")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// NewHTTPServer wraps h with timeouts suited to the daemon.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

func httpError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	fmt.Fprintf(w, "lockdepd: %s\n", strings.TrimSpace(msg))
}
