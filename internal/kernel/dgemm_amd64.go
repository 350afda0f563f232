//go:build !noasm

package kernel

// dgemmKernel512 computes an mr×nr tile of C (mr ≤ 8, nr ≤ 16, the columns
// selected by the low nr bits of mask) from a packed 8-row panel of A and a
// packed 16-column panel of B with AVX-512:
//
//	for r < mr, j < 16 with mask bit j set:
//		acc := Σ_{p<k} a[p*8+r]·b[p*16+j]   (fused multiply-adds, p ascending)
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (c not read when beta == 0)
//
//go:noescape
func dgemmKernel512(k int, a, b, c *float64, ldc int, alpha, beta float64, mr int, mask uint32)

// dgemmKernel256 computes a full 6×8 tile of C from a packed 6-row panel of
// A and a packed 8-column panel of B with AVX2 and FMA:
//
//	for r < 6, j < 8:
//		acc := Σ_{p<k} a[p*6+r]·b[p*8+j]   (fused multiply-adds, p ascending)
//		c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (c not read when beta == 0)
//
//go:noescape
func dgemmKernel256(k int, a, b, c *float64, ldc int, alpha, beta float64)

// transPack4d transposes four rows of src into dst, k4 (a multiple of 4)
// columns at a time, with AVX:
//
//	for p < k4, r < 4: dst[p*ds+r] = src[r*ld+p]
//
//go:noescape
func transPack4d(k4 int, src *float64, ld int, dst *float64, ds int)
