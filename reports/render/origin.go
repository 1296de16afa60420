package render

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/golockdep/lockdep/reports"
)

// Where a report came from, for the web page: the test binaries that
// recorded its dependencies, the tests whose stacks took them, the
// packages involved, and links from stack lines to source.

// runIndex finds the runs of a merged graph by their source names
// ("cache.test pid 4242 on ci-7").
type runIndex map[string]reports.Identity

func indexRuns(runs []reports.Run) runIndex {
	ix := runIndex{}
	for _, r := range runs {
		ix[r.Identity.Source()] = r.Identity
	}
	return ix
}

// binary is the test binary of a source name.
func (ix runIndex) binary(src string) string {
	if id, ok := ix[src]; ok {
		return id.Binary
	}
	b, _, _ := strings.Cut(src, " pid ")
	return b
}

// testName returns the test, benchmark, fuzz test or example whose
// function is on the stack (innermost first), as package testing names
// them: "TestPost" for "example.com/ledger.TestPost.func1", or "".
func testName(frames []reports.Frame) string {
	for _, f := range frames {
		if n := testFunc(f.Function); n != "" {
			return n
		}
	}
	return ""
}

// testFunc is the test function a function name belongs to, or "".
func testFunc(fn string) string {
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		fn = fn[i+1:]
	}
	_, name, ok := strings.Cut(fn, ".") // drop the package
	if !ok {
		return ""
	}
	name, _, _ = strings.Cut(name, ".") // drop closures: TestX.func1
	for _, prefix := range []string{"Test", "Benchmark", "Fuzz", "Example"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			// As package testing: TestX, Test_x and Test, not Testify.
			if r, _ := utf8.DecodeRuneInString(rest); rest == "" || !unicode.IsLower(r) {
				return name
			}
		}
	}
	return ""
}

// testsInText finds test functions among the stack lines of a report's
// text, for reports that carry no stacks of their own.
func testsInText(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if f := strings.TrimSpace(line); f != "" && !strings.ContainsAny(f, " :") {
			if n := testFunc(f); n != "" {
				out = addOnce(out, n)
			}
		}
	}
	return out
}

// classPackage is the import path of the package a class is named after
// ("github.com/acme/ledger" for "github.com/acme/ledger.(*Store).mu"), or
// "" for a name that is not qualified.
func classPackage(name string) string {
	slash := strings.LastIndexByte(name, '/')
	if slash >= 0 && strings.Trim(name[slash+1:], "0123456789") == "" {
		return classPackage(name[:slash]) // a subclass: "name/1"
	}
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot <= 0 || strings.ContainsAny(name[:slash+1+dot], " ()*:") {
		return ""
	}
	return name[:slash+1+dot]
}

func addOnce(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

// PageOptions configure WritePage. The zero value is the plain page.
type PageOptions struct {
	// SourceURL, if not empty, links each stack line to its source:
	// "{path}" is replaced by the file's path (without SourceTrim, each
	// segment escaped) and "{line}" by the line number, as in
	// "https://example.com/repo/blob/main/{path}#L{line}".
	SourceURL string
	// SourceTrim is removed from the start of each file's path before it
	// replaces {path}, typically the checkout directory of the CI job;
	// when it is set, files outside it (the Go distribution, the module
	// cache) are not linked.
	SourceTrim string
}

// Check says what is wrong with o, every problem at once.
func (o PageOptions) Check() error {
	if o.SourceURL == "" {
		if o.SourceTrim != "" {
			return errors.New("a source path prefix to trim without a source URL template")
		}
		return nil
	}
	var errs []string
	if !strings.Contains(o.SourceURL, "{path}") {
		errs = append(errs, "the source URL template has no {path}")
	}
	u, err := url.Parse(strings.NewReplacer("{path}", "p", "{line}", "1").Replace(o.SourceURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Sprintf("the source URL template %q is not an http(s) URL", o.SourceURL))
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// sourceLink is the URL of file:line under o, or "".
func (o PageOptions) sourceLink(file string, line int) string {
	if o.SourceURL == "" || file == "" {
		return ""
	}
	p := file
	if o.SourceTrim != "" {
		rest, ok := strings.CutPrefix(p, strings.TrimRight(o.SourceTrim, "/")+"/")
		if !ok {
			return ""
		}
		p = rest
	}
	segs := strings.Split(strings.TrimLeft(p, "/"), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.NewReplacer("{path}", strings.Join(segs, "/"), "{line}", strconv.Itoa(line)).Replace(o.SourceURL)
}
