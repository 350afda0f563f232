//go:build !race

package data

// loaderRace is true when the race detector is on; see idx_race_test.go.
const loaderRace = false
