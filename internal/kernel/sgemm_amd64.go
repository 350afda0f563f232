//go:build !noasm

package kernel

import "golang.org/x/sys/cpu"

// asmKernels reports whether the kernels below are the assembly ones.
const asmKernels = true

// canAVX512 and canAVX2 report whether this CPU (and OS) can run the
// AVX-512 and the AVX2+FMA kernels.
var (
	canAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL
	canAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

// sgemmKernel512 computes an mr×nr tile of C (mr ≤ 8, nr ≤ 32, the columns
// selected by the low nr bits of mask) from a packed 8-row panel of A and a
// packed 32-column panel of B:
//
//	for r < mr, j < 32 with mask bit j set:
//		acc := Σ_{p<k} a[p*8+r]·b[p*32+j]   (fused multiply-adds, p ascending)
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (c not read when beta == 0)
//
//go:noescape
func sgemmKernel512(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int, mask uint32)

// sgemmSmall512 is the unpacked variant of sgemmKernel512 for small shapes:
// row r of A at step p is a[r*rs+p*ps] (all eight rows must be readable)
// and B is read in place, row p at b[p*ldb:], the columns masked by mask:
//
//	for r < mr, j < 32 with mask bit j set:
//		acc := Σ_{p<k} a[r*rs+p*ps]·b[p*ldb+j]
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (c not read when beta == 0)
//
//go:noescape
func sgemmSmall512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32)

// sgemv512 computes one row of 128 columns of C with AVX-512, reading a
// (step ps) and B (row p at b[p*ldb:]) in place:
//
//	for j < 128:
//		acc := Σ_{p<k} a[p*ps]·b[p*ldb+j]   (fused multiply-adds, p ascending)
//		c[j] = alpha·acc + beta·c[j]         (c not read when beta == 0)
//
//go:noescape
func sgemv512(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32)

// sgemv512w is sgemv512 for 256 columns (j < 256), reading each row of B
// as one contiguous run.
//
//go:noescape
func sgemv512w(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32)

// sgemmKernel256 computes a 6×16 tile of C (the first mr rows stored,
// 1 ≤ mr ≤ 6) from a packed 6-row panel of A and a packed 16-column panel
// of B with AVX2 and FMA:
//
//	for r < mr, j < 16:
//		acc := Σ_{p<k} a[p*6+r]·b[p*16+j]   (fused multiply-adds, p ascending)
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (one FMA; c not read when beta == 0)
//
//go:noescape
func sgemmKernel256(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int)

// sgemmKernel256u is sgemmKernel256 reading an untransposed A in place:
// row r of the tile is a[r*lda:] (all six rows must be readable), with the
// same arithmetic per element:
//
//	for r < mr, j < 16:
//		acc := Σ_{p<k} a[r*lda+p]·b[p*16+j]
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]
//
//go:noescape
func sgemmKernel256u(k int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32, mr int)

// sgemmEdge256 is sgemmKernel256 for the last one or two rows of C
// (mr ≤ 2) across two 16-column panels of B, b and b+ps, computing a 2×32
// tile with the same arithmetic per element:
//
//	for r < mr, j < 32:
//		acc := Σ_{p<k} a[p*6+r]·b[(j/16)*ps+p*16+j%16]
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]
//
//go:noescape
func sgemmEdge256(k int, a, b *float32, ps int, c *float32, ldc int, alpha, beta float32, mr int)

// transPack8 transposes eight rows of src into dst, k8 (a multiple of 8)
// columns at a time:
//
//	for p < k8, r < 8: dst[p*ds+r] = src[r*ld+p]
//
//go:noescape
func transPack8(k8 int, src *float32, ld int, dst *float32, ds int)

// packA6 packs six rows of an untransposed A into a 6-row panel for
// sgemmKernel256, k8 (a multiple of 8) steps:
//
//	for p < k8, r < 6: dst[p*6+r] = src[r*ld+p]
//
//go:noescape
func packA6(k8 int, src *float32, ld int, dst *float32)

// packA6T packs six columns of a transposed A into a 6-row panel:
//
//	for p < k, r < 6: dst[p*6+r] = src[p*ld+r]
//
//go:noescape
func packA6T(k int, src *float32, ld int, dst *float32)

// packB16T packs sixteen rows of a transposed B into a 16-column panel for
// sgemmKernel256, k8 (a multiple of 8) steps:
//
//	for p < k8, j < 16: dst[p*16+j] = src[j*ld+p]
//
//go:noescape
func packB16T(k8 int, src *float32, ld int, dst *float32)

// packB16 packs np·16 columns of an untransposed B into np 16-column
// panels of k rows, ps floats apart, for sgemmKernel256, reading B row by
// row:
//
//	for p < k, q < np, j < 16: dst[q*ps+p*16+j] = src[p*ld+q*16+j]
//
//go:noescape
func packB16(k, np int, src *float32, ld int, dst *float32, ps int)
