//go:build !noasm

package kernel

// The NEON kernel of the packed float32 path on arm64 (sgemm_arm64.s,
// whose header gives its register blocking and expected rate). NEON
// (Advanced SIMD) is part of every arm64 CPU Go runs on, so it needs no
// feature test. float64 and the fused element-wise passes keep their
// pure-Go loops on arm64; gemm_noasm.go holds the twins of the amd64
// kernels, which this build compiles too and tests force.

func init() {
	kernels32.gemm128 = gemm128s
	useNEON = true
}

// gemm128s computes an 8×12 tile of C (the first mr rows stored,
// 1 ≤ mr ≤ 8) from a packed 8-row panel of A and a packed 12-column panel
// of B with NEON:
//
//	for r < mr, j < 12:
//		acc := Σ_{p<k} a[p*8+r]·b[p*12+j]   (fused multiply-adds, p ascending)
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (one fused multiply-add; c not read when beta == 0)
//
// This is the arithmetic Go compiles the same loop to on arm64 (it fuses
// x*y + z into FMADDS), so gemm128s agrees bit for bit with the pure-Go
// twin loops there.
//
//go:noescape
func gemm128s(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int)
