//go:build !race

package locks

// raceOn: the race detector is off.
const raceOn = false
