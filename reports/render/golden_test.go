package render

import (
	"bytes"
	"encoding/xml"
	"github.com/golockdep/lockdep/internal/golden"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golockdep/lockdep/reports"
)

// goldenMerged is a small merged graph with a cross-process cycle, a
// process's own report and contention statistics, from the uploads in
// testdata.
func goldenMerged(t *testing.T) *reports.Merged {
	t.Helper()
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	var in []reports.Received
	for i, name := range []string{"a", "b", "c"} {
		b, err := os.ReadFile(filepath.Join("testdata", "upload-"+name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		u, err := reports.DecodeBytes(b, reports.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, reports.Received{Upload: u, At: at.Add(time.Duration(i) * time.Second)})
	}
	m, err := reports.Merge(in)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGolden(t *testing.T) {
	m := goldenMerged(t)
	for _, tc := range []struct {
		file  string
		write func(io.Writer, *reports.Merged) error
	}{
		{"reports.txt", WriteText},
		{"graph.dot", WriteDOT},
		{"lockdep.txt", WriteLockdep},
		{"lockdep_chains.txt", WriteChains},
		{"lockdep_stats.txt", WriteStats},
		{"lock_stat.txt", WriteLockStat},
		{"page.html", WriteHTML},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.write(&buf, m); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.file, buf.Bytes())
		})
	}
}

func TestTrimmedNote(t *testing.T) {
	m := goldenMerged(t)
	m.Runs[0].Trimmed = "trimmed from 40 MiB: edge stacks cut to 4 frames"
	var text bytes.Buffer
	WriteText(&text, m)
	if !strings.Contains(text.String(), "was trimmed from 40 MiB") {
		t.Errorf("text does not show the trimmed note:\n%s", text.String())
	}
}

func TestCycleSVG(t *testing.T) {
	m := goldenMerged(t)
	svg := CycleSVG(&m.Reports[0])
	var texts []string
	d := xml.NewDecoder(strings.NewReader(svg))
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(x))
			}
		case xml.EndElement:
			inText = false
		}
	}
	for _, want := range []string{"inode", "page", "lru", "-(EN)->", "-(SN)->"} {
		found := false
		for _, s := range texts {
			found = found || s == want
		}
		if !found {
			t.Errorf("SVG has no text %q; texts %q", want, texts)
		}
	}
	if CycleSVG(&m.Reports[1]) != "" {
		t.Errorf("a recursive report drew a cycle")
	}
}

func TestCycleSVGEscapes(t *testing.T) {
	r := &reports.MergedReport{Kind: "circular", Chain: []reports.Link{{From: "<a>", To: "b&c", Types: "-(EN)->"}},
		New: &reports.Link{From: "b&c", To: "<a>", Types: "-(EN)->"}}
	svg := CycleSVG(r)
	if strings.Contains(svg, "<a>") || !strings.Contains(svg, "&lt;a&gt;") {
		t.Errorf("names not escaped: %s", svg)
	}
}
