// Package nerve is a small multilayer-perceptron library in pure Go, with a
// command line and a set of tutorials, written to be read as much as to be
// used.
//
// nerve grew out of five classic "neural network from scratch" numpy
// programs. Its random numbers come from a port of numpy's legacy
// Mersenne Twister, so a nerve network seeded like the numpy original
// starts from the same weights, and the tutorials reproduce the originals'
// printed numbers to the digit. Matrices are float32 or float64, row-major,
// with samples as rows. The command nerve (cmd/nerve) runs the tutorials:
//
//	go run ./cmd/nerve demo --list
//
// This package holds only this documentation; the code lives in the
// packages below, in layers. A package imports nerve packages only from
// strictly lower layers, which layering_test.go checks:
//
//	layer 0  internal/kernel  matrix-multiply inner loops and their reference twin
//	         rng              numpy-compatible MT19937 random numbers
//	layer 1  tensor           dense row-major float32/float64 matrices
//	layer 2  activation       sigmoid, tanh, ReLU, softmax, ... forward and backward
//	         loss             SSE, MSE, cross-entropies: value and gradient
//	         optim, data      (planned)
//	layer 3  nn               dense layers, networks, Forward, Cost, Backward, Update
//	layer 4  gradcheck        finite-difference checks of Backward
//	         train            (planned)
//	layer 5  tutorials        the five numpy programs ported to nerve
//	         trace, plot      (planned)
//	layer 6  cmd/nerve        the command line
//
// Layer-0 packages import only the standard library (and
// golang.org/x/sys/cpu), and no package other than rng draws random
// numbers: math/rand is not imported anywhere.
package nerve
