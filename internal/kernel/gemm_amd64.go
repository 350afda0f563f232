//go:build !noasm

package kernel

import "golang.org/x/sys/cpu"

// The assembly kernels of the packed paths (sgemm_amd64.s, sgemv_amd64.s,
// dgemm_amd64.s). Names are the operation, the vector width in bits and
// the precision (s float32, d float64). gemm_noasm.go has their pure-Go
// twins for other platforms and -tags noasm.

// asmKernels reports whether the kernels below are the assembly ones.
const asmKernels = true

// canAVX512 and canAVX2 report whether this CPU (and OS) can run the
// AVX-512 and the AVX2+FMA kernels.
var (
	canAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL
	canAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

// gemm512s computes an mr×nr tile of C (mr ≤ 8, nr ≤ 32, the columns
// selected by the low nr bits of mask) from a packed 8-row panel of A and a
// packed 32-column panel of B:
//
//	for r < mr, j < 32 with mask bit j set:
//		acc := Σ_{p<k} a[p*8+r]·b[p*32+j]   (fused multiply-adds, p ascending)
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (c not read when beta == 0)
//
//go:noescape
func gemm512s(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int, mask uint32)

// gemm512d is gemm512s for float64: a packed 8-row panel of A and a
// packed 16-column panel of B (mask bits j < 16):
//
//	acc := Σ_{p<k} a[p*8+r]·b[p*16+j]
//
//go:noescape
func gemm512d(k int, a, b, c *float64, ldc int, alpha, beta float64, mr int, mask uint32)

// gemmSmall512s is the unpacked variant of gemm512s for small shapes:
// row r of A at step p is a[r*rs+p*ps] (all eight rows must be readable)
// and B is read in place, row p at b[p*ldb:], the columns masked by mask:
//
//	for r < mr, j < 32 with mask bit j set:
//		acc := Σ_{p<k} a[r*rs+p*ps]·b[p*ldb+j]
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (c not read when beta == 0)
//
//go:noescape
func gemmSmall512s(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32)

// gemv512s computes one row of 128 columns of C with AVX-512, reading a
// (step ps) and B (row p at b[p*ldb:]) in place:
//
//	for j < 128:
//		acc := Σ_{p<k} a[p*ps]·b[p*ldb+j]   (fused multiply-adds, p ascending)
//		c[j] = alpha·acc + beta·c[j]         (c not read when beta == 0)
//
//go:noescape
func gemv512s(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32)

// gemvWide512s is gemv512s for 256 columns (j < 256), reading each row of
// B as one contiguous run.
//
//go:noescape
func gemvWide512s(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32)

// gemm256s computes a 6×16 tile of C (the first mr rows stored,
// 1 ≤ mr ≤ 6) from a packed 6-row panel of A and a packed 16-column panel
// of B with AVX2 and FMA:
//
//	for r < mr, j < 16:
//		acc := Σ_{p<k} a[p*6+r]·b[p*16+j]   (fused multiply-adds, p ascending)
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (one FMA; c not read when beta == 0)
//
//go:noescape
func gemm256s(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int)

// gemm256d computes a full 6×8 float64 tile of C from a packed 6-row panel
// of A and a packed 8-column panel of B with AVX2 and FMA:
//
//	for r < 6, j < 8:
//		acc := Σ_{p<k} a[p*6+r]·b[p*8+j]   (fused multiply-adds, p ascending)
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (c not read when beta == 0)
//
//go:noescape
func gemm256d(k int, a, b, c *float64, ldc int, alpha, beta float64)

// gemm256us is gemm256s reading an untransposed A in place: row r of the
// tile is a[r*lda:] (all six rows must be readable), with the same
// arithmetic per element:
//
//	for r < mr, j < 16:
//		acc := Σ_{p<k} a[r*lda+p]·b[p*16+j]
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]
//
//go:noescape
func gemm256us(k int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32, mr int)

// gemmEdge256s is gemm256s for the last one or two rows of C (mr ≤ 2)
// across two 16-column panels of B, b and b+ps, computing a 2×32 tile with
// the same arithmetic per element:
//
//	for r < mr, j < 32:
//		acc := Σ_{p<k} a[p*6+r]·b[(j/16)*ps+p*16+j%16]
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]
//
//go:noescape
func gemmEdge256s(k int, a, b *float32, ps int, c *float32, ldc int, alpha, beta float32, mr int)

// transpose8s transposes eight rows of src into dst, k8 (a multiple of 8)
// columns at a time:
//
//	for p < k8, r < 8: dst[p*ds+r] = src[r*ld+p]
//
//go:noescape
func transpose8s(k8 int, src *float32, ld int, dst *float32, ds int)

// transpose4d transposes four float64 rows of src into dst, k4 (a multiple
// of 4) columns at a time, with AVX:
//
//	for p < k4, r < 4: dst[p*ds+r] = src[r*ld+p]
//
//go:noescape
func transpose4d(k4 int, src *float64, ld int, dst *float64, ds int)

// packA6s packs six rows of an untransposed A into a 6-row panel for
// gemm256s, k8 (a multiple of 8) steps:
//
//	for p < k8, r < 6: dst[p*6+r] = src[r*ld+p]
//
//go:noescape
func packA6s(k8 int, src *float32, ld int, dst *float32)

// packA6Ts packs six columns of a transposed A into a 6-row panel:
//
//	for p < k, r < 6: dst[p*6+r] = src[p*ld+r]
//
//go:noescape
func packA6Ts(k int, src *float32, ld int, dst *float32)

// packB16Ts packs sixteen rows of a transposed B into a 16-column panel
// for gemm256s, k8 (a multiple of 8) steps:
//
//	for p < k8, j < 16: dst[p*16+j] = src[j*ld+p]
//
//go:noescape
func packB16Ts(k8 int, src *float32, ld int, dst *float32)

// packB16s packs np·16 columns of an untransposed B into np 16-column
// panels of k rows, ps floats apart, for gemm256s, reading B row by row:
//
//	for p < k, q < np, j < 16: dst[q*ps+p*16+j] = src[p*ld+q*16+j]
//
//go:noescape
func packB16s(k, np int, src *float32, ld int, dst *float32, ps int)
