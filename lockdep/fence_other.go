//go:build !linux || !amd64 || race

package lockdep

// Without the asymmetric fence (other systems, and race builds, whose
// detector cannot see it), the owner's store of its active flag is an
// atomic one and the protocol of task.go needs no fence.
var asymmetricFence = false

func fence() bool { return true }
