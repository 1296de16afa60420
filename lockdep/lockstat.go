package lockdep

import "time"

// LockStat is one line of contention statistics, like the kernel's
// /proc/lock_stat: one per class and side (write or read).
type LockStat struct {
	Class        string            `json:"class"`
	Read         bool              `json:"read"` // the read side of a reader/writer lock
	Contentions  uint64            `json:"contentions"`
	Acquisitions uint64            `json:"acquisitions"`
	WaitMin      time.Duration     `json:"wait_min_ns"`
	WaitMax      time.Duration     `json:"wait_max_ns"`
	WaitTotal    time.Duration     `json:"wait_total_ns"`
	HoldMin      time.Duration     `json:"hold_min_ns"`
	HoldMax      time.Duration     `json:"hold_max_ns"`
	HoldTotal    time.Duration     `json:"hold_total_ns"`
	Points       []ContentionPoint `json:"points,omitempty"` // top contention points, most first
}

// ContentionPoint is a place where goroutines waited for the class.
type ContentionPoint struct {
	Frame Frame  `json:"frame"`
	Count uint64 `json:"count"`
}
