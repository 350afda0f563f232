//go:build !libmlog || !cgo

package rng

import "math"

// ExactLog reports whether NormFloat64 takes its logarithm from the C
// library's log(), as numpy does, and therefore reproduces numpy's normal
// deviates bit for bit on the same platform. It is false in this (default)
// build, which uses Go's math.Log; see the package documentation and
// log_libm.go.
const ExactLog bool = false

// logf returns the natural logarithm of x, for NormFloat64. This default
// build uses math.Log, which is pure Go and needs no cgo. It differs from
// the C library's log() (which numpy uses) in the last bit for a few percent
// of arguments. Build with -tags libmlog (and cgo) to use the C library's
// log() instead.
func logf(x float64) float64 {
	return math.Log(x)
}
