//go:build noasm || !amd64

package kernel

import (
	"math/bits"
	"unsafe"
)

// The pure-Go twins of the assembly kernels (gemm_amd64.go documents
// each). The driver never selects them on its own; tests force them to
// exercise the assembly paths' drivers in this build. Each element is
// summed over p in order, without fused multiply-adds where Go does not
// fuse.

// asmKernels reports whether the kernels are the assembly ones.
const asmKernels = false

var (
	canAVX512 = true
	canAVX2   = true
)

// at returns the element i places after p.
func at[T Float](p *T, i int) *T {
	var z T
	return (*T)(unsafe.Add(unsafe.Pointer(p), uintptr(i)*unsafe.Sizeof(z)))
}

// twinTile is every micro-kernel's twin: for r < mr, j < w,
//
//	acc := Σ_{p<k} a[r*rs+p*ps]·b[p*ldb+j]
//	c[r*ldc+j] = alpha·acc + beta·c[r*ldc+j]   (c not read when beta == 0)
func twinTile[T Float](k int, a *T, rs, ps int, b *T, ldb int, c *T, ldc int, alpha, beta T, mr, w int) {
	for r := 0; r < mr; r++ {
		for j := 0; j < w; j++ {
			var acc T
			for p := 0; p < k; p++ {
				acc += *at(a, r*rs+p*ps) * *at(b, p*ldb+j)
			}
			v := alpha * acc
			cp := at(c, r*ldc+j)
			if beta != 0 {
				v += beta * *cp
			}
			*cp = v
		}
	}
}

// twinGather is every packer's twin: dst[p*ds+r] = src[p*sp+r*sr] for
// p < k, r < n.
func twinGather[T Float](k, n int, src *T, sp, sr int, dst *T, ds int) {
	for p := 0; p < k; p++ {
		for r := 0; r < n; r++ {
			*at(dst, p*ds+r) = *at(src, p*sp+r*sr)
		}
	}
}

func gemm512s(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int, mask uint32) {
	twinTile(k, a, 1, 8, b, 32, c, ldc, alpha, beta, mr, bits.Len32(mask))
}

func gemm512d(k int, a, b, c *float64, ldc int, alpha, beta float64, mr int, mask uint32) {
	twinTile(k, a, 1, 8, b, 16, c, ldc, alpha, beta, mr, bits.Len32(mask))
}

func gemmSmall512s(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32) {
	twinTile(k, a, rs, ps, b, ldb, c, ldc, alpha, beta, mr, bits.Len32(mask))
}

func gemv512s(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32) {
	twinTile(k, a, 0, ps, b, ldb, c, 0, alpha, beta, 1, 128)
}

func gemvWide512s(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32) {
	twinTile(k, a, 0, ps, b, ldb, c, 0, alpha, beta, 1, 256)
}

func gemm256s(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int) {
	twinTile(k, a, 1, 6, b, 16, c, ldc, alpha, beta, mr, 16)
}

func gemm256d(k int, a, b, c *float64, ldc int, alpha, beta float64) {
	twinTile(k, a, 1, 6, b, 8, c, ldc, alpha, beta, 6, 8)
}

func gemm256us(k int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32, mr int) {
	twinTile(k, a, lda, 1, b, 16, c, ldc, alpha, beta, mr, 16)
}

func gemmEdge256s(k int, a, b *float32, ps int, c *float32, ldc int, alpha, beta float32, mr int) {
	twinTile(k, a, 1, 6, b, 16, c, ldc, alpha, beta, mr, 16)
	twinTile(k, a, 1, 6, at(b, ps), 16, at(c, 16), ldc, alpha, beta, mr, 16)
}

func transpose8s(k8 int, src *float32, ld int, dst *float32, ds int) {
	twinGather(k8, 8, src, 1, ld, dst, ds)
}

func transpose4d(k4 int, src *float64, ld int, dst *float64, ds int) {
	twinGather(k4, 4, src, 1, ld, dst, ds)
}

func packA6s(k8 int, src *float32, ld int, dst *float32) { twinGather(k8, 6, src, 1, ld, dst, 6) }

func packA6Ts(k int, src *float32, ld int, dst *float32) { twinGather(k, 6, src, ld, 1, dst, 6) }

func packB16Ts(k8 int, src *float32, ld int, dst *float32) { twinGather(k8, 16, src, 1, ld, dst, 16) }

func packB16s(k, np int, src *float32, ld int, dst *float32, ps int) {
	for q := 0; q < np; q++ {
		twinGather(k, 16, at(src, q*16), ld, 1, at(dst, q*ps), 16)
	}
}
