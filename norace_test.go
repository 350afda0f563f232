//go:build !race

package nerve

const raceEnabled = false
