package reports

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzReadBaseline checks that ReadBaseline never panics, and that
// whatever it accepts writes and reads back to the same baseline.
func FuzzReadBaseline(f *testing.F) {
	b := NewBaseline()
	b.Add(testUpload(f, "a.test", 11, "A->B", "B->C"))
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, b); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"version":1,"edges":[],"reports":[]}`))
	f.Add([]byte(`{"version":1,"edges":[{"from":"A","to":"B","types":"-(EN)->"}],"reports":[{"kind":"circular","classes":["A","B"]}]}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{"version":1}{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadBaseline(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteBaseline(&out, got); err != nil {
			t.Fatalf("accepted baseline does not write: %v", err)
		}
		again, err := ReadBaseline(&out)
		if err != nil {
			t.Fatalf("written baseline does not read: %v\n%s", err, out.Bytes())
		}
		if !reflect.DeepEqual(got.Edges, again.Edges) && !(len(got.Edges) == 0 && len(again.Edges) == 0) {
			t.Fatalf("edges changed in the round trip: %v vs %v", got.Edges, again.Edges)
		}
		if !reflect.DeepEqual(got.Reports, again.Reports) && !(len(got.Reports) == 0 && len(again.Reports) == 0) {
			t.Fatalf("reports changed in the round trip: %v vs %v", got.Reports, again.Reports)
		}
	})
}
