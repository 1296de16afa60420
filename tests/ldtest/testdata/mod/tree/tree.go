// Package tree nests the locks of one type in one consistent order: a
// parent, then its child.
package tree

import "sync"

type Node struct {
	mu       sync.Mutex
	children []*Node
	n        int
}

// Add locks the parent, then the child.
func (p *Node) Add(c *Node) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	p.children = append(p.children, c)
	c.n = p.n + 1
}
