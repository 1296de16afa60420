package tree

import "testing"

func TestDepth(t *testing.T) {
	root := &Node{}
	cur := root
	for i := 0; i < 5; i++ {
		c := &Node{}
		cur.Add(c)
		cur = c
	}
	if cur.n != 5 {
		t.Fatal(cur.n)
	}
}
