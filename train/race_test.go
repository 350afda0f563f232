//go:build race

package train

// raceEnabled skips the allocation counts: under the race detector
// sync.Pool drops objects at random, so pooled buffers are reallocated.
const raceEnabled = true
