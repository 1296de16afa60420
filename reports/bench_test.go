package reports

import (
	"bytes"
	"fmt"
	"testing"
)

// bigUpload has n classes in a chain of n-1 dependencies.
func bigUpload(b *testing.B, n int) *Upload {
	deps := make([]string, 0, n-1)
	for i := 0; i+1 < n; i++ {
		deps = append(deps, fmt.Sprintf("c%d->c%d", i, i+1))
	}
	return testUpload(b, "big.test", 1, deps...)
}

func BenchmarkDecode1000(b *testing.B) {
	var buf bytes.Buffer
	if err := Encode(&buf, bigUpload(b, 1000)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := DecodeBytes(buf.Bytes(), Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMerge100x1000(b *testing.B) {
	var in []Received
	for i := range 100 {
		u := bigUpload(b, 1000)
		u.Identity.PID = i + 1
		in = append(in, Received{Upload: u})
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Merge(in); err != nil {
			b.Fatal(err)
		}
	}
}
