package upload

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/reports"
)

func TestCheckEnv(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	os.WriteFile(file, []byte("tok"), 0o600)
	for _, c := range []struct {
		daemon, timeout, token, save string
		want                         []string // substrings of the error; none: no error
	}{
		{},
		{daemon: "http://127.0.0.1:7077"},
		{daemon: "http://localhost:7077/lockdepd/", timeout: "2s", token: file, save: dir},
		{daemon: "127.0.0.1:7078", want: []string{`LOCKDEP_DAEMON="127.0.0.1:7078" has no scheme: want http://127.0.0.1:7078`}},
		{daemon: "localhost:7077", want: []string{"has no scheme: want http://localhost:7077"}},
		{daemon: "https://ci:7077", want: []string{`has scheme "https": want http://`}},
		{daemon: "http://:7077", want: []string{"has no host"}},
		{daemon: "http://h:99999", want: []string{"port 99999"}},
		{daemon: "http://h:x", want: []string{"is not a URL"}},
		{daemon: "http://u:p@h:1", want: []string{"carries a user"}},
		{daemon: "http://h:1/?a=b", want: []string{"query"}},
		{timeout: "5", want: []string{`LOCKDEP_DAEMON_TIMEOUT="5" is not a positive duration`}},
		{token: filepath.Join(dir, "none"), save: file, want: []string{"LOCKDEP_DAEMON_TOKEN_FILE: open", "is not a directory"}},
	} {
		t.Setenv(EnvDaemon, c.daemon)
		t.Setenv(EnvTimeout, c.timeout)
		t.Setenv(EnvTokenFile, c.token)
		t.Setenv(EnvSaveDir, c.save)
		err := CheckEnv()
		if len(c.want) == 0 {
			if err != nil {
				t.Errorf("%+v: %v", c, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%+v: accepted", c)
			continue
		}
		msg := err.Error()
		for _, w := range c.want {
			if !strings.Contains(msg, w) || strings.Contains(msg, "\n") {
				t.Errorf("%+v: error %q lacks %q or is not one line", c, msg, w)
			}
		}
	}
}

// TestFlushNamesBadURL: a program's Flush with a daemon URL that cannot
// work says why rather than trying.
func TestFlushNamesBadURL(t *testing.T) {
	t.Setenv(EnvDaemon, "127.0.0.1:7078")
	t.Setenv(EnvSaveDir, "")
	err := flush(&reports.Upload{Schema: reports.SchemaVersion, Identity: reports.Self()})
	if err == nil || !strings.Contains(err.Error(), "want http://127.0.0.1:7078") {
		t.Errorf("flush: %v", err)
	}
}
