//go:build race

package data

// loaderRace is true when the race detector is on: the loader tests then
// read the smaller test sets of MNIST and Fashion-MNIST instead of the
// 60000 training images, which take ten times longer under the detector.
const loaderRace = true
