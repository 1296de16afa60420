package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/scenario"
)

func TestScenarioList(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runMain([]string{"scenario", "list"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 {
			t.Errorf("line %q: want name, expected verdict and a description", l)
			continue
		}
		got = append(got, f[0])
		if f[1] != "clean" && f[1] != "reported" {
			t.Errorf("line %q: expected verdict %q", l, f[1])
		}
		if len(l) > tableWidth {
			t.Errorf("line of %d columns, want at most %d: %q", len(l), tableWidth, l)
		}
	}
	if !reflect.DeepEqual(got, scenario.Names()) {
		t.Errorf("list printed %v, want %v", got, scenario.Names())
	}
	if len(got) < 12 {
		t.Errorf("list printed %d scenarios, want the 12 required ones at least", len(got))
	}
}

// TestScenarioRunJSON checks the JSON shape the issue documents: exactly
// these keys, a report with kind, classes and text, and a verdict.
func TestScenarioRunJSON(t *testing.T) {
	var out, errb bytes.Buffer
	code := runMain([]string{"scenario", "run", "fault-takes-i_rwsem", "-seed", "7", "-ops", "20", "-json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out.String())
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{"expected", "ops", "oracle", "pass", "reports", "scenario", "script_oracle", "seed", "verdict"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	var r struct {
		Scenario string
		Seed     int64
		Ops      int
		Reports  []struct {
			Kind    string   `json:"kind"`
			Classes []string `json:"classes"`
			Text    string   `json:"text"`
		}
		Oracle struct {
			StaleReads *int `json:"stale_reads"`
			LostWrites *int `json:"lost_writes"`
			FreedInUse *int `json:"freed_in_use"`
		}
		Verdict  string
		Expected string
		Pass     bool
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Scenario != "fault-takes-i_rwsem" || r.Seed != 7 || r.Ops != 20 || r.Verdict != "reported" ||
		!r.Pass || !strings.HasPrefix(r.Expected, "reported (circular") {
		t.Errorf("got %+v", r)
	}
	if len(r.Reports) == 0 || r.Reports[0].Kind != "circular" || len(r.Reports[0].Classes) == 0 ||
		!strings.Contains(r.Reports[0].Text, "circular locking dependency") {
		t.Errorf("reports %+v", r.Reports)
	}
	if r.Oracle.StaleReads == nil || r.Oracle.LostWrites == nil || r.Oracle.FreedInUse == nil {
		t.Errorf("oracle counts missing: %s", m["oracle"])
	}
}

func TestScenarioRunText(t *testing.T) {
	var out, errb bytes.Buffer
	code := runMain([]string{"scenario", "run", "-ops", "10", "truncate-without-dio-wait"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"freed in use", "still use it", "verdict: reported", "PASS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestScenarioRunAll(t *testing.T) {
	var out, errb bytes.Buffer
	code := runMain([]string{"scenario", "run", "--all", "-ops", "50"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errb.String())
	}
	for _, n := range scenario.Names() {
		if !strings.Contains(out.String(), n) {
			t.Errorf("table lacks %s", n)
		}
	}
	if !strings.Contains(out.String(), "0 failed") {
		t.Errorf("table:\n%s", out.String())
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if len(l) > tableWidth {
			t.Errorf("line of %d columns, want at most %d: %q", len(l), tableWidth, l)
		}
	}
}

// TestScenarioRunAllReproducible: two runs with one seed print the same
// table (all but the closing line, which has the time taken).
func TestScenarioRunAllReproducible(t *testing.T) {
	var tables [2]string
	for i := range tables {
		var out, errb bytes.Buffer
		if code := runMain([]string{"scenario", "run", "--all", "-seed", "3", "-ops", "100"}, &out, &errb); code != 0 {
			t.Fatalf("exit %d:\n%s%s", code, out.String(), errb.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		tables[i] = strings.Join(lines[:len(lines)-1], "\n")
	}
	if tables[0] != tables[1] {
		t.Errorf("two runs of seed 3 differ:\n%s\n---\n%s", tables[0], tables[1])
	}
}

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"short", []string{"short"}},
		{"stale reads 1, lost writes 1, stale pagecache 1", []string{"stale reads 1, lost writes 1,", "stale pagecache 1"}},
		{"order-violation xfs:invalidate_lock+xfs:invalidate_lock/1", []string{"order-violation", "xfs:invalidate_lock+", "xfs:invalidate_lock/1"}},
	} {
		if got := wrap(c.in, 30); !reflect.DeepEqual(got, c.want) {
			t.Errorf("wrap(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestScenarioUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"scenario"},
		{"scenario", "bogus"},
		{"scenario", "run"},
		{"scenario", "run", "no-such-scenario"},
		{"scenario", "run", "--all", "ext4-punch-vs-fault"},
		{"scenario", "run", "a", "b"},
		{"scenario", "run", "-ops", "-1", "ext4-punch-vs-fault"},
		{"scenario", "list", "extra"},
	} {
		var out, errb bytes.Buffer
		if code := runMain(args, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
