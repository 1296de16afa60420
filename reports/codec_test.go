package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/stretchr/testify/require"
)

func TestRoundTripLive(t *testing.T) {
	if !lockdep.Enabled {
		t.Skip("the validator is compiled out (lockdep_off)")
	}
	u := liveUpload(t)
	require.Len(t, u.Edges, 2, "live validator: want A->B and B->C")
	require.Len(t, u.Reports, 1, "live validator: want one cycle")
	require.Equal(t, "circular", u.Reports[0].Kind)
	require.NotEmpty(t, u.LockStats, "no lock_stat lines although statistics were on")
	var buf bytes.Buffer
	require.NoError(t, Encode(&buf, u))
	got, err := Decode(&buf, Limits{})
	require.NoError(t, err)
	require.Equal(t, normalizeNil(u), normalizeNil(got), "round trip changed the upload")
}

// normalizeNil re-encodes so that nil and empty slices compare equal.
func normalizeNil(u *Upload) map[string]any {
	b, _ := json.Marshal(u)
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}

func TestRoundTripConstructed(t *testing.T) {
	u := testUpload(t, "a.test", 11, "A->B", "B->C")
	u.Reports = []Report{{Kind: "recursive", Classes: []string{"A"}, Text: "text\nwith lines\n"}}
	u.LockStats = []LockStat{{Class: "A", Contentions: 1, Acquisitions: 2, WaitMinNS: 5, WaitMaxNS: 5, WaitTotalNS: 5,
		HoldMinNS: 1, HoldMaxNS: 2, HoldTotalNS: 3, Points: []Point{{Frame: Frame{Function: "f", File: "x.go", Line: 3}, Count: 1}}}}
	var buf bytes.Buffer
	require.NoError(t, Encode(&buf, u))
	got, err := Decode(bytes.NewReader(buf.Bytes()), Limits{})
	require.NoError(t, err)
	require.Equal(t, u, got, "round trip changed the upload")
}

// mutate encodes a valid upload, lets f change its JSON as a map, and
// returns the bytes.
func mutate(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	u := testUpload(t, "a.test", 11, "A->B")
	b, _ := json.Marshal(u)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	f(m)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

func TestDecodeRejects(t *testing.T) {
	edge0 := func(m map[string]any) map[string]any { return m["edges"].([]any)[0].(map[string]any) }
	many := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"name": "c" + strings.Repeat("x", i%7) + string(rune('a'+i%26)), "subclass": 0}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		body []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrMalformed, ""},
		{"not json", []byte("hello"), ErrMalformed, ""},
		{"truncated", mutate(t, func(map[string]any) {})[:40], ErrMalformed, ""},
		{"no version", mutate(t, func(m map[string]any) { delete(m, "schema") }), ErrVersion, "no \"schema\""},
		{"future version", mutate(t, func(m map[string]any) { m["schema"] = SchemaVersion + 1; m["new_field"] = 1 }), ErrVersion, "schema 3"},
		{"unknown field", mutate(t, func(m map[string]any) { m["colour"] = "red" }), ErrMalformed, "colour"},
		{"unknown nested field", mutate(t, func(m map[string]any) { edge0(m)["weight"] = 1 }), ErrMalformed, "weight"},
		{"wrong type", mutate(t, func(m map[string]any) { m["classes"] = "A" }), ErrMalformed, ""},
		{"trailing data", append(mutate(t, func(map[string]any) {}), []byte(" {}")...), ErrMalformed, "after"},
		{"control character", mutate(t, func(m map[string]any) { m["classes"].([]any)[0].(map[string]any)["name"] = "A\x1b[31m" }), ErrInvalid, "control character"},
		{"newline in host", mutate(t, func(m map[string]any) { m["identity"].(map[string]any)["host"] = "a\nb" }), ErrInvalid, "identity.host"},
		{"unknown class", mutate(t, func(m map[string]any) { edge0(m)["to"] = "Z" }), ErrInvalid, "not in classes"},
		{"bad types", mutate(t, func(m map[string]any) { edge0(m)["types"] = "-(XX)->" }), ErrInvalid, "XX"},
		{"self edge", mutate(t, func(m map[string]any) { edge0(m)["to"] = "A" }), ErrInvalid, "itself"},
		{"bad pid", mutate(t, func(m map[string]any) { m["identity"].(map[string]any)["pid"] = 0 }), ErrInvalid, "pid"},
		{"unknown kind", mutate(t, func(m map[string]any) {
			m["reports"] = []any{map[string]any{"kind": "boom", "classes": []any{"A"}, "text": ""}}
		}), ErrInvalid, "boom"},
		{"absurd count", mutate(t, func(m map[string]any) { m["classes"] = many(DefaultLimits.MaxClasses + 1) }), ErrInvalid, "8193 classes"},
		{"too large", bytes.Repeat([]byte(" "), MaxUploadBytes+1), ErrTooLarge, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(bytes.NewReader(tc.body), Limits{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode: %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Decode: %v, want a message containing %q", err, tc.msg)
			}
		})
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	u := testUpload(t, "a.test", 11, "A->B")
	u.Identity.Host = ""
	u.Edges[0].Types = "EN"
	u.Classes[0].Subclass = 9
	err := u.Validate(Limits{})
	for _, want := range []string{"identity.host", "edges[0].types", "classes[0].subclass"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v; want it to mention %s", err, want)
		}
	}
}

func TestEncodeRefusesInvalid(t *testing.T) {
	u := testUpload(t, "a.test", 11, "A->B")
	u.Schema = 0
	if err := Encode(&bytes.Buffer{}, u); !errors.Is(err, ErrVersion) {
		t.Errorf("Encode of a versionless upload: %v", err)
	}
}

func TestParseTypes(t *testing.T) {
	for _, s := range []string{"-(EN)->", "-(ER)->", "-(EN,SR)->", "-(EN,ER,SN,SR)->"} {
		ty, err := ParseTypes(s)
		if err != nil || ty.String() != s {
			t.Errorf("ParseTypes(%q) = %v, %v", s, ty, err)
		}
	}
	for _, s := range []string{"", "EN", "-()->", "-(SR,EN)->", "-(EN,EN)->", "-(en)->", "-(EN)-> "} {
		if _, err := ParseTypes(s); err == nil {
			t.Errorf("ParseTypes(%q) succeeded", s)
		}
	}
}

// FuzzDecode checks that Decode never panics, and that whatever it accepts
// encodes and decodes to the same upload.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	Encode(&buf, testUpload(f, "a.test", 11, "A->B", "B->C"))
	f.Add(buf.Bytes())
	f.Add([]byte(`{"schema":1}`))
	f.Add([]byte(`{"schema":1,"identity":{"binary":"b","host":"h","pid":1,"start":"2026-01-01T00:00:00Z"},"classes":[{"name":"A","subclass":0}],"edges":[],"chains":[],"reports":[],"stats":{},"lock_stats":[]}`))
	f.Add([]byte(`{"schema":2}`))
	f.Add([]byte(`{"schema":2,"identity":{"binary":"b","host":"h","pid":1,"start":"2026-01-01T00:00:00Z"},"classes":[{"name":"A","subclass":0},{"name":"B","subclass":0}],"edges":[{"from":"A","to":"B","types":"-(EN)->","count":1,"stack":[]}],"chains":null,"reports":[],"stats":{},"lock_stats":[],"trimmed":"trimmed from 40 MiB to fit 32 MiB: edge stacks cut to 4 frames"}`))
	f.Add([]byte(`{"schema":3}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxBytes: 1 << 20}
		u, err := DecodeBytes(data, lim)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Encode(&out, u); err != nil {
			t.Fatalf("accepted upload does not encode: %v", err)
		}
		v, err := DecodeBytes(out.Bytes(), lim)
		if err != nil {
			t.Fatalf("re-encoded upload does not decode: %v\n%s", err, out.Bytes())
		}
		if !reflect.DeepEqual(normalizeNil(u), normalizeNil(v)) {
			t.Fatalf("round trip changed the upload")
		}
	})
}
