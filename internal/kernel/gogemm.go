package kernel

// The pure-Go micro-kernel: the packed loop nest (packed.go) around a 2×4
// register tile written in Go (eight accumulators and six operands fit
// the sixteen amd64 float registers; 4×4 spills). It serves both
// precisions above the exact limit where no assembly kernel can run
// (other platforms, -tags noasm, CPUs without AVX2 and FMA).

const (
	goMR = 2
	goNR = 4
	goMC = 128 // A block height (a multiple of goMR)
)

// gemmGo sums a 2×4 tile: acc[4r+j] = Σₚ a[2p+r]·b[4p+j], with
// len(b) == 2·len(a) == 4k. It leaves scaling to the caller (goStore), so
// that the eight accumulators, two values of A and a value of B stay in
// registers. Each value of B is loaded just before its two multiply-adds,
// by index: sub-slicing a[2p:2p+2] and b[4p:4p+4] instead, the compiler
// hoisted all the loads and products and spilled an accumulator, at 0.6×
// the speed (4.6 against 7.9 GFLOP/s on panels in L1, Zen 5).
func gemmGo[T Float](a, b []T, acc *[goMR * goNR]T) {
	var c00, c01, c02, c03, c10, c11, c12, c13 T
	k := len(a) / 2
	a, b = a[:2*k], b[:4*k]
	for p := 0; p < k; p++ {
		a0 := a[2*p]
		a1 := a[2*p+1]
		b0 := b[4*p]
		c00 += a0 * b0
		c10 += a1 * b0
		b1 := b[4*p+1]
		c01 += a0 * b1
		c11 += a1 * b1
		b2 := b[4*p+2]
		c02 += a0 * b2
		c12 += a1 * b2
		b3 := b[4*p+3]
		c03 += a0 * b3
		c13 += a1 * b3
	}
	*acc = [goMR * goNR]T{c00, c01, c02, c03, c10, c11, c12, c13}
}

// goStore sets the h×w corner of the 2×4 tile at c to alpha·acc + beta·c
// (c not read when beta is 0).
func goStore[T Float](acc *[2 * goNR]T, c []T, ldc, h, w int, alpha, beta T) {
	for r := 0; r < h; r++ {
		cr := c[r*ldc : r*ldc+w]
		for j := range cr {
			v := alpha * acc[r*goNR+j]
			if beta != 0 {
				v += beta * cr[j]
			}
			cr[j] = v
		}
	}
}
