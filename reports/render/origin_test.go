package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/reports"
)

func TestTestFunc(t *testing.T) {
	for fn, want := range map[string]string{
		"example.com/payments/ledger.TestPost":              "TestPost",
		"example.com/payments/ledger_test.TestPost.func1.2": "TestPost",
		"example.com/x.Test_underscore":                     "Test_underscore",
		"example.com/x.BenchmarkGet":                        "BenchmarkGet",
		"example.com/x.FuzzDecode":                          "FuzzDecode",
		"example.com/x.ExampleMutex":                        "ExampleMutex",
		"example.com/x.Test":                                "Test",
		"example.com/x.Testify":                             "",
		"example.com/x.(*T).TestPost":                       "",
		"example.com/x.helper":                              "",
		"main":                                              "",
	} {
		if got := testFunc(fn); got != want {
			t.Errorf("testFunc(%q) = %q, want %q", fn, got, want)
		}
	}
	frames := []reports.Frame{{Function: "example.com/x.take"}, {Function: "example.com/x.TestA.func1"}, {Function: "testing.tRunner"}}
	if got := testName(frames); got != "TestA" {
		t.Errorf("testName = %q", got)
	}
}

func TestClassPackage(t *testing.T) {
	for name, want := range map[string]string{
		"github.com/acme/payments/internal/ledger.(*Store).mu": "github.com/acme/payments/internal/ledger",
		"github.com/acme/ledger.storeMu/1":                     "github.com/acme/ledger",
		"fsimpl.inode":                                         "fsimpl",
		"inode":                                                "",
		"inode/2":                                              "",
		"(*Store).mu":                                          "",
		"site cache.go:12":                                     "",
	} {
		if got := classPackage(name); got != want {
			t.Errorf("classPackage(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestSourceLink(t *testing.T) {
	o := PageOptions{SourceURL: "https://example.com/repo/blob/main/{path}#L{line}", SourceTrim: "/ci/work/"}
	if err := o.Check(); err != nil {
		t.Fatal(err)
	}
	if got := o.sourceLink("/ci/work/internal/ledger/store file.go", 42); got != "https://example.com/repo/blob/main/internal/ledger/store%20file.go#L42" {
		t.Errorf("link %q", got)
	}
	if got := o.sourceLink("/usr/lib/go/src/sync/mutex.go", 1); got != "" {
		t.Errorf("a file outside the trimmed directory linked: %q", got)
	}
	o.SourceTrim = ""
	if got := o.sourceLink("/src/a.go", 7); got != "https://example.com/repo/blob/main/src/a.go#L7" {
		t.Errorf("untrimmed link %q", got)
	}
	if (PageOptions{}).sourceLink("/src/a.go", 7) != "" {
		t.Error("links without a template")
	}
	for _, bad := range []PageOptions{{SourceURL: "https://example.com/{line}"}, {SourceURL: "javascript:alert(1)//{path}"}, {SourceTrim: "/x"}} {
		if bad.Check() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestPageShowsOrigins: every report shows its test binaries and tests,
// the filters list its kind, packages and binaries, stack lines link to
// source, and the baseline line is there to copy.
func TestPageShowsOrigins(t *testing.T) {
	const a, b = "github.com/acme/payments/internal/ledger.(*Store).mu", "github.com/acme/payments/internal/accounts.(*Account).mu"
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	up := func(bin string, pid int, from, to, test string) reports.Received {
		return reports.Received{Upload: &reports.Upload{Schema: reports.SchemaVersion,
			Identity: reports.Identity{Binary: bin, Package: "github.com/acme/payments/" + strings.TrimSuffix(bin, ".test"), Host: "ci", PID: pid, Start: start},
			Classes:  []reports.Class{{Name: from}, {Name: to}},
			Edges: []reports.Edge{{From: from, To: to, Types: "-(EN)->", Count: 1, Stack: []reports.Frame{
				{Function: "github.com/acme/payments/locked.Take", File: "/ci/work/locked/locked.go", Line: 9},
				{Function: "github.com/acme/payments/" + test, File: "/ci/work/x_test.go", Line: 12}}}}}}
	}
	m, err := reports.Merge([]reports.Received{up("ledger.test", 1, a, b, "ledger.TestPost"), up("accounts.test", 2, b, a, "accounts.TestAudit.func1")})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePage(&buf, m, PageOptions{SourceURL: "https://example.com/r/{path}#L{line}", SourceTrim: "/ci/work"}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"<th>test binaries</th><td>accounts.test, ledger.test",
		"TestPost (ledger.test)", "TestAudit (accounts.test)",
		`<option>github.com/acme/payments/internal/ledger</option>`, `<option>github.com/acme/payments/ledger</option>`,
		`<option>accounts.test</option>`, `<option>circular</option>`,
		`data-bins="accounts.test` + "\n" + `ledger.test"`,
		`<a class="src" href="https://example.com/r/locked/locked.go#L9">/ci/work/locked/locked.go:9</a>`,
		`class="copy" data-copy="{&#34;kind&#34;:&#34;circular&#34;,&#34;classes&#34;:[&#34;github.com/acme/payments/internal/accounts.(*Account).mu&#34;`,
		`<table class="legend">`, "across test binaries: 2 lock class(es)</h3>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(page)
	}
}
