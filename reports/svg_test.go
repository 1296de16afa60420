package reports

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

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
	r := &MergedReport{Kind: "circular", Chain: []Link{{From: "<a>", To: "b&c", Types: "-(EN)->"}},
		New: &Link{From: "b&c", To: "<a>", Types: "-(EN)->"}}
	svg := CycleSVG(r)
	if strings.Contains(svg, "<a>") || !strings.Contains(svg, "&lt;a&gt;") {
		t.Errorf("names not escaped: %s", svg)
	}
}
