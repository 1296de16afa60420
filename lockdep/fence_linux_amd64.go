//go:build linux && amd64 && !race

package lockdep

import "syscall"

// The asymmetric fence of the task table (task.go): membarrier(2) with
// MEMBARRIER_CMD_PRIVATE_EXPEDITED makes every thread of the process that
// is running execute a full memory barrier before it returns, and a thread
// that is not running passes one when it is next scheduled. So a plain
// store by an owner is either visible to the evictor after the fence, or
// ordered after it, and then the owner's following read of its owner word
// sees the evictor's mark. It costs the evictor about a quarter of a
// microsecond on a 2-core VM, and the owner nothing.
const (
	sysMembarrier                      = 324 // amd64
	membarrierPrivateExpedited         = 1 << 3
	membarrierRegisterPrivateExpedited = 1 << 4
)

// asymmetricFence says whether fence works here: the process registered
// for private expedited membarrier (Linux 4.14 and later; a sandbox may
// refuse it), and LOCKDEP_FENCE=off did not turn it down. It is a
// variable initialiser, not an init function, so that it is decided
// before std, which reads it, is made.
var asymmetricFence = Enabled && !fenceTurnedDown() && registerFence()

func registerFence() bool {
	_, _, errno := syscall.Syscall(sysMembarrier, membarrierRegisterPrivateExpedited, 0, 0)
	return errno == 0 && fenceOnce()
}

// fenceOnce checks that a fence can be issued, so that a kernel that
// registered and then refuses is found before any table relies on it.
func fenceOnce() bool {
	_, _, errno := syscall.Syscall(sysMembarrier, membarrierPrivateExpedited, 0, 0)
	return errno == 0
}

// fence is the evictor's side of the protocol. It reports whether the
// fence was issued; an evictor that could not fence frees nothing.
func fence() bool { return fenceOnce() }
