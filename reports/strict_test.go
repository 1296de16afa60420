package reports

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestDecodeRefusesWhatTheSchemaRefuses: the bad-input rows of SCHEMA.md
// that encoding/json alone lets through.
func TestDecodeRefusesWhatTheSchemaRefuses(t *testing.T) {
	var buf bytes.Buffer
	u := testUpload(t, "a.test", 11, "A->B")
	u.Reports = []Report{{Kind: "circular", Classes: []string{"A", "B"}, Text: "line one\n\tline two"}}
	if err := Encode(&buf, u); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	if _, err := DecodeBytes([]byte(good), Limits{}); err != nil {
		t.Fatalf("the good upload: %v", err)
	}
	// An escaped key spelled right, and key-like text inside a value, pass.
	for _, ok := range []string{
		strings.Replace(good, `"from"`, `"\u0066rom"`, 1),
		strings.Replace(good, `line one`, `\"From\":1,\"from\":{`, 1),
	} {
		if ok == good {
			t.Fatal("the test did not change the upload")
		}
		if _, err := DecodeBytes([]byte(ok), Limits{}); err != nil {
			t.Errorf("a valid upload refused: %v", err)
		}
	}
	for _, tc := range []struct {
		name, body string
		want       error
		msg        string
	}{
		{"invalid UTF-8", strings.Replace(good, `"a.test"`, "\"a\xff.test\"", 1), ErrMalformed, "invalid UTF-8"},
		{"key in another case", strings.Replace(good, `"from"`, `"From"`, 1), ErrMalformed, `"From"`},
		{"escaped key in another case", strings.Replace(good, `"from"`, `"\u0046rom"`, 1), ErrMalformed, `"From"`},
		{"duplicate key, one escaped", strings.Replace(good, `"host":"ci-1"`, `"host":"ci-1","\u0068ost":"x"`, 1), ErrMalformed, "twice"},
		{"duplicate key", strings.Replace(good, `"binary":"a.test"`, `"binary":"a.test","binary":"b.test"`, 1), ErrMalformed, "twice"},
		{"escape in report text", strings.Replace(good, `line one`, `\u001b[2Jline one`, 1), ErrInvalid, "control character U+001B"},
		{"C1 control in message", strings.Replace(good, `"kind":"circular"`, `"kind":"circular","message":"a\u009bb"`, 1), ErrInvalid, "U+009B"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.body == good {
				t.Fatal("the test did not change the upload")
			}
			_, err := DecodeBytes([]byte(tc.body), Limits{})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want %v with %q", err, tc.want, tc.msg)
			}
		})
	}
}
