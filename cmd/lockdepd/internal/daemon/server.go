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
	"sync/atomic"
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
	// Addr is the address the daemon listens on; a request's Host must
	// name it, a loopback address, localhost or one of HostNames.
	Addr string
	// HostNames are further names clients may reach the daemon by.
	HostNames []string
	// Limits bound each upload (default reports.DefaultLimits).
	// Limits.MaxBytes bounds both the body as sent and, for a
	// gzip-compressed body, the JSON it decompresses to.
	Limits reports.Limits
	// MaxUploads bounds the uploads read and decoded at once; one more is
	// made to wait up to UploadWait for its turn, then answered 429 with
	// Retry-After (defaults DefaultMaxUploads, DefaultUploadWait). The
	// decoded uploads being stored and merged hold at most MaxUploads
	// times Limits.MaxBytes of JSON.
	MaxUploads int
	UploadWait time.Duration
	// MaxRuns bounds the uploads kept (default DefaultMaxRuns); MaxAge,
	// if positive, drops uploads older than it; MaxStoreBytes bounds the
	// stored JSON of all uploads (default DefaultMaxStoreBytes). Beyond
	// any of them the oldest uploads are deleted first (retention.go).
	MaxRuns       int
	MaxAge        time.Duration
	MaxStoreBytes int64
	// Log receives one line per refused upload and per load problem
	// (default: discarded).
	Log io.Writer
	// Page configures the web page (source links); see views.go.
	Page render.PageOptions
}

// The defaults of Config's bounds.
const (
	DefaultMaxUploads    = 4
	DefaultUploadWait    = 3 * time.Second // within the uploader's 5 s
	DefaultMaxRuns       = 10000
	DefaultMaxStoreBytes = 4 << 30
)

// Server is a running lockdepd: a store and the HTTP handlers over it.
type Server struct {
	cfg      Config
	lim      reports.Limits
	store    *store
	log      *log.Logger
	slots    chan struct{} // one per upload being read and decoded
	inflight *budget       // bytes of the decoded uploads being stored and merged

	// mergeMu guards merging, into which each upload is merged once, when
	// it arrives; gen counts the changes to it. Never held during a store
	// commit. Lock order: mergeMu, then mu.
	mergeMu    sync.Mutex
	merging    *reports.Merging
	gen        atomic.Uint64
	badEntries []string // stored entries that no longer decode, found at load (bounded by MaxMergeProblems)

	// mu guards the fields below.
	mu         sync.Mutex
	index      []entry // the uploads kept, by sequence number
	stored     int64   // their stored bytes
	cached     *reports.Merged
	cachedGen  uint64
	builtAt    time.Time     // when cached was built
	buildTook  time.Duration // and how long that took
	flight     *flight
	rebuilding bool // a rebuild of merging is running
	again      bool // and another is needed after it
	rebuilds   sync.WaitGroup
}

// entry is one upload kept.
type entry struct {
	seq  uint64
	size int64
	run  reports.Run
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
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// New checks and opens the store in cfg.DataDir and merges the uploads it
// holds, one at a time, applying the retention bounds.
func New(cfg Config) (*Server, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("lockdepd: no data directory")
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.MaxUploads <= 0 {
		cfg.MaxUploads = DefaultMaxUploads
	}
	if cfg.UploadWait <= 0 {
		cfg.UploadWait = DefaultUploadWait
	}
	if cfg.MaxRuns <= 0 {
		cfg.MaxRuns = DefaultMaxRuns
	}
	if cfg.MaxStoreBytes <= 0 {
		cfg.MaxStoreBytes = DefaultMaxStoreBytes
	}
	s := &Server{cfg: cfg, lim: cfg.Limits, log: log.New(cfg.Log, "lockdepd: ", log.LstdFlags), slots: make(chan struct{}, cfg.MaxUploads)}
	if s.lim.MaxBytes <= 0 {
		s.lim.MaxBytes = reports.MaxUploadBytes
	}
	s.inflight = newBudget(int64(cfg.MaxUploads) * s.lim.MaxBytes)
	valid := func(data []byte) bool { _, err := s.decodeStored(data); return err == nil }
	st, err := openStore(cfg.DataDir, func(msg string) { s.log.Print(msg) }, valid)
	if err != nil {
		return nil, fmt.Errorf("lockdepd: opening store: %w", err)
	}
	s.store = st
	if err := s.load(); err != nil {
		st.close()
		return nil, fmt.Errorf("lockdepd: reading store: %w", err)
	}
	if s.prune(time.Now()) {
		if err := s.rebuild(); err != nil {
			st.close()
			return nil, fmt.Errorf("lockdepd: reading store: %w", err)
		}
	}
	return s, nil
}

// Close waits for a rebuild in progress and closes the store.
func (s *Server) Close() error {
	s.rebuilds.Wait()
	return s.store.close()
}

// Count returns how many uploads the server holds.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.index)
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
	return s.guard(s.auth(mux))
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

func httpError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	fmt.Fprintf(w, "lockdepd: %s\n", strings.TrimSpace(msg))
}
