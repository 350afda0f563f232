//go:build race

package kernel

// raceEnabled is set when the tests run under the race detector, which
// makes the exhaustive sweeps too slow: they then check fewer shapes.
const raceEnabled = true
