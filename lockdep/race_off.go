//go:build !race

package lockdep

// raceEnabled is true in race-detector builds; see task.publish.
const raceEnabled = false
