// Package upload sends a process's lock graph to lockdepd. Importing it
// (lockdeptest does) installs it as lockdep's flusher, so lockdep.Flush
// and lockdeptest.VerifyTestMain send the graph when asked to.
//
// It is configured by the environment, read at each flush:
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
// A daemon that is down, slow or refuses the upload makes Flush return an
// error after at most the timeout; it never blocks longer or panics.
package upload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/reports"
)

func init() { lockdep.SetFlusher(Flush) }

// Environment variables read by Flush.
const (
	EnvDaemon    = "LOCKDEP_DAEMON"
	EnvTokenFile = "LOCKDEP_DAEMON_TOKEN_FILE"
	EnvTimeout   = "LOCKDEP_DAEMON_TIMEOUT"
	EnvSaveDir   = "LOCKDEP_SAVE_DIR"
)

// DefaultTimeout bounds one upload when LOCKDEP_DAEMON_TIMEOUT is unset.
const DefaultTimeout = 5 * time.Second

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
	var buf bytes.Buffer
	if err := reports.Encode(&buf, reports.FromValidator(v, reports.Self())); err != nil {
		return fmt.Errorf("lockdep upload: encoding: %w", err)
	}
	var errs []error
	if dir := os.Getenv(EnvSaveDir); dir != "" {
		errs = append(errs, save(dir, buf.Bytes()))
	}
	if url := os.Getenv(EnvDaemon); url != "" {
		errs = append(errs, Send(url, buf.Bytes()))
	}
	return errors.Join(errs...)
}

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

// Send posts an encoded upload to the daemon at base, bounded by the
// timeout from the environment. It succeeds only when the daemon answers
// 200, which it does once the upload is durable.
func Send(base string, data []byte) error {
	timeout := DefaultTimeout
	if s := os.Getenv(EnvTimeout); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return fmt.Errorf("lockdep upload: %s=%q is not a positive duration", EnvTimeout, s)
		}
		timeout = d
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+Path, bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("lockdep upload: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if f := os.Getenv(EnvTokenFile); f != "" {
		tok, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("lockdep upload: token: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("lockdep upload to %s: %w", base, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("lockdep upload to %s: %s: %s", base, resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

// client does not follow proxies from the environment: the daemon is
// usually on loopback, and the upload must not wander.
var client = &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
