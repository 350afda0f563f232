//go:build race

package main

// raceEnabled is true when the tests run under the race detector: the
// nerve binary they build is then built with -race too, and the
// MNIST-sized real-data tests are skipped as too slow.
const raceEnabled = true
