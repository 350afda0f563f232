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

// sgemmKernel256 computes a full 6×16 tile of C from a packed 6-row panel
// of A and a packed 16-column panel of B with AVX2 and FMA:
//
//	for r < 6, j < 16:
//		acc := Σ_{p<k} a[p*6+r]·b[p*16+j]
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (c not read when beta == 0)
//
//go:noescape
func sgemmKernel256(k int, a, b, c *float32, ldc int, alpha, beta float32)

// transPack8 transposes eight rows of src into dst, k8 (a multiple of 8)
// columns at a time:
//
//	for p < k8, r < 8: dst[p*ds+r] = src[r*ld+p]
//
//go:noescape
func transPack8(k8 int, src *float32, ld int, dst *float32, ds int)
