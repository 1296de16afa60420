// Package scenarios holds the end-to-end tests of the page-cache and file
// system model: every scenario shows what it must, deterministically; the
// correct designs stay clean under stress; and their live lock graphs
// contain no dependency against the documented lock order.
package scenarios
