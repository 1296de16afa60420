//go:build race

package locks

// raceOn: the race detector is on; the stress tests run smaller.
const raceOn = true
