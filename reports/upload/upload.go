// Package upload sends a process's lock graph to lockdepd. Importing it
// (lockdeptest does) installs it as lockdep's flusher, so lockdep.Flush
// and lockdeptest.VerifyTestMain send the graph when asked to.
//
// It is configured by the environment, read at each flush (and checked up
// front by CheckEnv, which lockdeptest calls before the tests run):
//
//	LOCKDEP_DAEMON        base URL of lockdepd, e.g. http://127.0.0.1:7077;
//	                      unset or empty: nothing is sent
//	LOCKDEP_DAEMON_TOKEN_FILE
//	                      a file holding the bearer token for a daemon that
//	                      listens beyond loopback
//	LOCKDEP_DAEMON_TIMEOUT
//	                      the bound on one upload (a Go duration, default 5s)
//	LOCKDEP_SAVE_DIR      also (or, without LOCKDEP_DAEMON, only) write the
//	                      upload to a file in this directory, for
//	                      "lockdepd report" and baselines
//
// # Size
//
// An upload's JSON is at most MaxBytes (32 MiB, the daemon's default
// limit). A larger graph is trimmed to fit by reports.Upload.Fit, the same
// way every time: edge stacks are cut to 16, 8 or 4 frames, then
// contention points and cached chains are dropped, then the stacks of the
// least-used edges, then report stacks are cut to 4 frames. Every class,
// edge and report is kept. The upload then says what was left out in its
// "trimmed" field (schema 2, see reports/SCHEMA.md), which lockdepd shows
// with the run. A graph whose classes, edges and reports alone are over
// the limit is not sent: Flush returns an error wrapping
// reports.ErrTooLarge. The saved file is the upload as sent.
//
// The body is sent gzip-compressed (Content-Encoding: gzip; a big graph's
// JSON compresses about twentyfold) with its length and "Expect:
// 100-continue", so a daemon that refuses it answers before the body is
// sent and the refusal, not a reset connection, is what the client sees.
// lockdepd answers uploads with "Accept-Encoding: gzip" (RFC 7694); a
// daemon that does not, and refuses the compressed body with 400 or 415,
// an older lockdepd, gets it again uncompressed.
//
// # Errors
//
// A daemon that is down, slow or refuses the upload makes Flush return an
// error after at most the timeout; it never blocks longer or panics. The
// error is one line, fit for a test binary's standard error, naming the
// daemon and what went wrong: the HTTP status and the daemon's message
// when it answered, for example
//
//	lockdep upload to http://127.0.0.1:7077 refused: 413 Request Entity Too Large: upload too large: 43.0 MiB, limit 32 MiB
//
// and the network error when it did not. Send's errors are *Error values.
package upload

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/golockdep/lockdep/internal/plumbing"
	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/reports"
)

func init() { plumbing.SetFlusher(Flush) }

// Environment variables read by Flush.
const (
	EnvDaemon    = "LOCKDEP_DAEMON"
	EnvTokenFile = "LOCKDEP_DAEMON_TOKEN_FILE"
	EnvTimeout   = "LOCKDEP_DAEMON_TIMEOUT"
	EnvSaveDir   = "LOCKDEP_SAVE_DIR"
)

// DefaultTimeout bounds one upload when LOCKDEP_DAEMON_TIMEOUT is unset.
const DefaultTimeout = 5 * time.Second

// MaxBytes bounds an upload's JSON, before compression: the daemon's
// default limit. Flush trims larger graphs to fit; see the package comment.
const MaxBytes = reports.MaxUploadBytes

// Path is where lockdepd accepts uploads.
const Path = "/api/v1/upload"

// Enabled reports whether Flush would do anything.
func Enabled() bool { return os.Getenv(EnvDaemon) != "" || os.Getenv(EnvSaveDir) != "" }

// Flush sends v's graph as configured by the environment; see the package
// comment. With neither LOCKDEP_DAEMON nor LOCKDEP_SAVE_DIR set it returns
// nil at once, without looking at v.
func Flush(v *lockdep.Validator) error {
	if !Enabled() {
		return nil
	}
	return flush(reports.FromValidator(v, reports.Self()))
}

// flush trims u to MaxBytes, then saves and sends it as configured.
func flush(u *reports.Upload) error {
	fitErr := u.Fit(MaxBytes)
	var buf bytes.Buffer
	if err := reports.Encode(&buf, u); err != nil {
		return fmt.Errorf("lockdep upload: encoding: %w", err)
	}
	var errs oneLine
	if dir := os.Getenv(EnvSaveDir); dir != "" {
		errs.add(save(dir, buf.Bytes()))
	}
	if url := os.Getenv(EnvDaemon); url != "" {
		if err := checkDaemonURL(url); err != nil {
			errs.add(fmt.Errorf("lockdep upload not sent: %w", err))
		} else if fitErr != nil {
			errs.add(fmt.Errorf("lockdep upload to %s not sent: %w", url, fitErr))
		} else {
			errs.add(Send(url, buf.Bytes()))
		}
	}
	return errs.err()
}

// oneLine joins errors on one line, for a test binary's standard error.
type oneLine []error

func (e *oneLine) add(err error) {
	if err != nil {
		*e = append(*e, err)
	}
}

func (e oneLine) err() error {
	switch len(e) {
	case 0:
		return nil
	case 1:
		return e[0]
	}
	return e
}

func (e oneLine) Error() string {
	s := make([]string, len(e))
	for i, err := range e {
		s[i] = err.Error()
	}
	return strings.Join(s, "; ")
}

func (e oneLine) Unwrap() []error { return e }

// save writes the upload to DIR/BINARY-PID.json, atomically.
func save(dir string, data []byte) error {
	id := reports.Self()
	name := filepath.Join(dir, fmt.Sprintf("%s-%d.json", strings.ReplaceAll(id.Binary, string(filepath.Separator), "_"), id.PID))
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("lockdep upload: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("lockdep upload: saving %s: %w", name, err)
	}
	return nil
}

// Error is a failed upload to the daemon: it refused the upload (Status
// is its HTTP status) or did not answer (Status is 0, Err says why).
type Error struct {
	URL     string // the daemon's base URL
	Status  int    // the HTTP status code, 0 if the daemon did not answer
	Reason  string // the status line, e.g. "413 Request Entity Too Large"
	Message string // the daemon's explanation, on one line
	Err     error  // reports.ErrTooLarge for a 413; the network error if no answer
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("lockdep upload to %s failed: %v", e.URL, e.Err)
	}
	s := fmt.Sprintf("lockdep upload to %s refused: %s", e.URL, e.Reason)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// maxMessage bounds the daemon's message in an Error.
const maxMessage = 300

// Send posts an encoded upload (JSON, as reports.Encode writes it) to the
// daemon at base, gzip-compressed (uncompressed to a daemon that refuses
// that and does not say it takes gzip), bounded by the timeout from the
// environment. It succeeds only when the daemon answers 200, which it does
// once the upload is durable; otherwise the error is an *Error, or names
// a bad environment.
func Send(base string, data []byte) error {
	timeout := DefaultTimeout
	if s := os.Getenv(EnvTimeout); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return fmt.Errorf("lockdep upload: %s=%q is not a positive duration", EnvTimeout, s)
		}
		timeout = d
	}
	base = strings.TrimRight(base, "/")
	var body bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&body, gzip.BestSpeed) // a valid level: no error
	zw.Write(data)                                      // writes to a bytes.Buffer do not fail
	if err := zw.Close(); err != nil {
		return fmt.Errorf("lockdep upload: compressing: %w", err)
	}
	var token string
	if f := os.Getenv(EnvTokenFile); f != "" {
		tok, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("lockdep upload: token: %w", err)
		}
		token = strings.TrimSpace(string(tok))
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	code, status, ans, err := post(ctx, base+Path, token, body.Bytes(), true)
	if (code == statusBadRequest || code == statusUnsupportedMediaType) && !strings.Contains(ans.acceptEncoding, "gzip") {
		// A daemon that does not say it takes gzip (one older than this
		// uploader) refused the compressed body: send it as it is.
		code, status, ans, err = post(ctx, base+Path, token, data, false)
	}
	switch {
	case err != nil:
		return &Error{URL: base, Err: noAnswer(err, ctx, timeout)}
	case code == statusOK:
		return nil
	}
	e := &Error{URL: base, Status: code, Reason: status, Message: oneLineText(ans.body)}
	if code == statusRequestEntityTooLarge {
		e.Err = reports.ErrTooLarge
	}
	return e
}

// answer is what Send keeps of a daemon's answer.
type answer struct {
	body           []byte // the start of it
	acceptEncoding string // the Accept-Encoding header (RFC 7694)
}

// noAnswer explains why the daemon did not answer.
func noAnswer(err error, ctx context.Context, timeout time.Duration) error {
	var op *net.OpError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("no answer within %v (%s): %w", timeout, EnvTimeout, ctx.Err())
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("daemon not running: %w", err)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the daemon closed the connection without answering (an older lockdepd does so for an upload over its size limit): %w", err)
	case errors.As(err, &op) && op.Op == "dial":
		return fmt.Errorf("cannot reach the daemon: %w", err)
	}
	return err
}

// oneLineText is a daemon's error body on one bounded line, without
// lockdepd's "lockdepd: " prefix.
func oneLineText(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	s = strings.TrimPrefix(s, "lockdepd: ")
	if len(s) > maxMessage {
		cut := maxMessage
		for cut > 0 && s[cut]&0xc0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
