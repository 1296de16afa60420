// Package plumbing holds what package lockdep lends the other packages of
// this module and no one else: the calls package locks makes for the
// paths a user never takes by hand (a zero-value lock's first use, a
// contended wait, an unlock by a goroutine that does not hold the lock),
// the list of packages whose frames report stacks leave out, and the
// uploader that lockdep.Flush calls.
//
// Package lockdep keeps its state unexported and fills in Hooks from its
// init function; its siblings read them with Get. Keeping these calls out
// of lockdep's exported API keeps that API to what users call (see
// lockdep's package documentation).
package plumbing
