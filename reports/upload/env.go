package upload

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// CheckEnv checks the environment Flush reads, so that a test binary can
// say at start-up, rather than after its tests, that its upload cannot
// work: LOCKDEP_DAEMON must be an http:// URL with a host (a value without
// a scheme, such as 127.0.0.1:7077, is named with the URL it probably
// meant), LOCKDEP_DAEMON_TIMEOUT a positive duration,
// LOCKDEP_DAEMON_TOKEN_FILE a readable file and LOCKDEP_SAVE_DIR a
// directory. Every problem is reported, on one line; nil means none (also
// when nothing is set).
func CheckEnv() error {
	var errs oneLine
	if v := os.Getenv(EnvDaemon); v != "" {
		errs.add(checkDaemonURL(v))
	}
	if v := os.Getenv(EnvTimeout); v != "" {
		if d, err := time.ParseDuration(v); err != nil || d <= 0 {
			errs.add(fmt.Errorf("%s=%q is not a positive duration (such as 5s)", EnvTimeout, v))
		}
	}
	if v := os.Getenv(EnvTokenFile); v != "" {
		if f, err := os.Open(v); err != nil {
			errs.add(fmt.Errorf("%s: %w", EnvTokenFile, err))
		} else {
			f.Close()
		}
	}
	if v := os.Getenv(EnvSaveDir); v != "" {
		if st, err := os.Stat(v); err != nil {
			errs.add(fmt.Errorf("%s: %w", EnvSaveDir, err))
		} else if !st.IsDir() {
			errs.add(fmt.Errorf("%s=%s is not a directory", EnvSaveDir, v))
		}
	}
	if err := errs.err(); err != nil {
		return fmt.Errorf("lockdep upload: %w", err)
	}
	return nil
}

// checkDaemonURL checks a LOCKDEP_DAEMON value: what the uploader can
// reach is http://HOST[:PORT][/PREFIX], nothing else.
func checkDaemonURL(v string) error {
	bad := func(why string) error { return fmt.Errorf("%s=%q %s", EnvDaemon, v, why) }
	if !strings.Contains(v, "://") {
		return bad(fmt.Sprintf("has no scheme: want http://%s (lockdepd serves plain HTTP)", strings.TrimLeft(v, "/")))
	}
	u, err := url.Parse(v)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return bad(fmt.Sprintf("is not a URL: %v", err))
	}
	switch {
	case u.Scheme != "http":
		return bad(fmt.Sprintf("has scheme %q: want http:// (lockdepd serves plain HTTP)", u.Scheme))
	case u.Hostname() == "":
		return bad("has no host: want http://HOST:PORT")
	case u.User != nil:
		return bad("carries a user: a daemon's token goes in a file named by " + EnvTokenFile)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return bad("has a query or fragment: want http://HOST:PORT")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad("has port " + p + ": want 1 to 65535")
		}
	}
	return nil
}
