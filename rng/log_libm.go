//go:build libmlog && cgo

package rng

// numpy's legacy normal generator (legacy_gauss in numpy/random) computes
// the polar method's log(r2) with the C library's log(). Calling that same
// function through cgo makes NormFloat64 produce exactly numpy's bits when
// numpy and this program run on the same platform (same C library, and for
// glibc the same CPU feature level, since glibc picks among log()
// implementations at run time).

// #cgo LDFLAGS: -lm
// #include <math.h>
import "C"

// ExactLog reports whether NormFloat64 takes its logarithm from the C
// library's log(), as numpy does, and therefore reproduces numpy's normal
// deviates bit for bit on the same platform. It is true in this build
// (-tags libmlog with cgo enabled).
const ExactLog bool = true

// logf returns the natural logarithm of x, for NormFloat64, as computed by
// the C library's log() through cgo: the function numpy calls, so the
// normal deviates match numpy's to the last bit on the same platform. This
// file is used only with -tags libmlog and cgo enabled; otherwise log_go.go
// supplies math.Log.
func logf(x float64) float64 {
	return float64(C.log(C.double(x)))
}
