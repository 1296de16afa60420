package cache

import "fmt"

// Stamp is the content of one block or page. Every write stamps the data
// with the file and page it was written for and a generation that no other
// write shares, so a reader can tell whose data it got. The zero Stamp is
// the content of a hole (or of a block never written).
type Stamp struct {
	File uint64 // file (inode) number the data was written for; 0 = zeroes
	Off  uint64 // page index it was written at
	Gen  uint64 // globally unique write generation
}

// IsZero reports whether s is zero data.
func (s Stamp) IsZero() bool { return s == Stamp{} }

func (s Stamp) String() string {
	if s.IsZero() {
		return "zeroes"
	}
	return fmt.Sprintf("data(ino %d, page %d, gen %d)", s.File, s.Off, s.Gen)
}
