package lockdeptest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/golockdep/lockdep/reports"
)

// The baseline environment variables; see the package comment.
const (
	EnvBaseline      = "LOCKDEP_BASELINE"
	EnvBaselineWrite = "LOCKDEP_BASELINE_WRITE"
)

// maxListed bounds the new edges and reports checkBaseline prints.
const maxListed = 20

// checkBaseline fails the binary if the default validator has a dependency
// or a report that the baseline in file does not accept.
func checkBaseline(code int, file string) int {
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lockdep: %s: %v\n", EnvBaseline, err)
		return failed(code)
	}
	b, err := reports.ReadBaseline(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(os.Stderr, "lockdep: %s=%s: %v\n", EnvBaseline, file, err)
		return failed(code)
	}
	u := reports.FromValidator(ld.Default(), reports.Self())
	edges, reps := b.Check(u)
	if len(edges) == 0 && len(reps) == 0 {
		return code
	}
	for i, e := range edges {
		if i == maxListed {
			fmt.Fprintf(os.Stderr, "  ... and %d more\n", len(edges)-i)
			break
		}
		fmt.Fprintf(os.Stderr, "lockdep: new dependency not in the baseline: %s %s %s\n", e.From, e.Types, e.To)
		for _, fr := range e.Stack {
			fmt.Fprintf(os.Stderr, "       %s\n           %s:%d\n", fr.Function, fr.File, fr.Line)
		}
	}
	for i, r := range reps {
		if i == maxListed {
			fmt.Fprintf(os.Stderr, "  ... and %d more\n", len(reps)-i)
			break
		}
		fmt.Fprintf(os.Stderr, "lockdep: new report not in the baseline: %s %v\n", r.Kind, r.Classes)
	}
	fmt.Fprintf(os.Stderr, "lockdep: %d dependency(ies) and %d report(s) not in baseline %s; failing the test binary "+
		"(if they are intended, rerun with %s=%s)\n", len(edges), len(reps), file, EnvBaselineWrite, file)
	return failed(code)
}

// writeBaseline adds the default validator's dependencies and reports to
// the baseline in file, under an exclusive lock on file+".lock" so that
// test binaries run by one "go test ./..." do not lose each other's.
func writeBaseline(code int, file string, nreports int) int {
	if err := addToBaseline(file, reports.FromValidator(ld.Default(), reports.Self())); err != nil {
		fmt.Fprintf(os.Stderr, "lockdep: %s: %v\n", EnvBaselineWrite, err)
		return failed(code)
	}
	if nreports > 0 {
		fmt.Fprintf(os.Stderr, "lockdep: %d report(s) added to baseline %s\n", nreports, file)
	}
	return code
}

func addToBaseline(file string, u *reports.Upload) error {
	unlock, err := lockFile(file + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	b := reports.NewBaseline()
	if f, err := os.Open(file); err == nil {
		b, err = reports.ReadBaseline(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	b.Add(u)
	var buf bytes.Buffer
	if err := reports.WriteBaseline(&buf, b); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".baseline-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

func failed(code int) int {
	if code == 0 {
		return 1
	}
	return code
}
