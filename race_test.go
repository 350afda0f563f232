//go:build race

package nerve

// raceEnabled skips the allocation sizes: the race detector allocates
// on its own.
const raceEnabled = true
