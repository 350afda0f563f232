//go:build noasm || !amd64

package kernel

import "unsafe"

// asmKernels reports whether the kernels below are the assembly ones. Here
// they are their pure-Go twins: the driver never selects them on its own,
// but tests can force them to exercise the blocked float32 driver.
const asmKernels = false

var (
	canAVX512 = true
	canAVX2   = true
)

// f32s views n float32 values at p (n may be 0 when p is nil).
func f32s(p *float32, n int) []float32 {
	if n <= 0 {
		return nil
	}
	return unsafe.Slice(p, n)
}

// sgemmKernel512 is the Go twin of the AVX-512 8×32 micro-kernel.
func sgemmKernel512(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int, mask uint32) {
	ap, bp := f32s(a, 8*k), f32s(b, 32*k)
	var acc [8][32]float32
	for p := 0; p < k; p++ {
		for r := 0; r < 8; r++ {
			av := ap[p*8+r]
			for j := 0; j < 32; j++ {
				acc[r][j] += av * bp[p*32+j]
			}
		}
	}
	storeTile(acc[:mr], c, ldc, alpha, beta, mask)
}

// sgemmSmall512 is the Go twin of the unpacked AVX-512 kernel.
func sgemmSmall512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32) {
	var acc [8][32]float32
	for p := 0; p < k; p++ {
		for r := 0; r < 8; r++ {
			av := *(*float32)(unsafe.Add(unsafe.Pointer(a), 4*(r*rs+p*ps)))
			for j := 0; j < 32; j++ {
				if mask&(1<<j) != 0 {
					acc[r][j] += av * *(*float32)(unsafe.Add(unsafe.Pointer(b), 4*(p*ldb+j)))
				}
			}
		}
	}
	storeTile(acc[:mr], c, ldc, alpha, beta, mask)
}

// sgemv512 is the Go twin of the AVX-512 one-row kernel.
func sgemv512(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32) {
	var acc [1][32]float32
	for j0 := 0; j0 < 128; j0 += 32 {
		acc[0] = [32]float32{}
		for p := 0; p < k; p++ {
			av := *(*float32)(unsafe.Add(unsafe.Pointer(a), 4*p*ps))
			for j := 0; j < 32; j++ {
				acc[0][j] += av * *(*float32)(unsafe.Add(unsafe.Pointer(b), 4*(p*ldb+j0+j)))
			}
		}
		storeTile(acc[:], (*float32)(unsafe.Add(unsafe.Pointer(c), 4*j0)), 0, alpha, beta, 0xffffffff)
	}
}

// sgemv512w is the Go twin of the 256-column one-row kernel.
func sgemv512w(k int, a *float32, ps int, b *float32, ldb int, c *float32, alpha, beta float32) {
	sgemv512(k, a, ps, b, ldb, c, alpha, beta)
	sgemv512(k, a, ps, (*float32)(unsafe.Add(unsafe.Pointer(b), 4*128)), ldb, (*float32)(unsafe.Add(unsafe.Pointer(c), 4*128)), alpha, beta)
}

func storeTile(acc [][32]float32, c *float32, ldc int, alpha, beta float32, mask uint32) {
	for r := range acc {
		for j := 0; j < 32; j++ {
			if mask&(1<<j) == 0 {
				continue
			}
			cp := (*float32)(unsafe.Add(unsafe.Pointer(c), 4*(r*ldc+j)))
			v := alpha * acc[r][j]
			if beta != 0 {
				v += beta * *cp
			}
			*cp = v
		}
	}
}

// sgemmKernel256 is the Go twin of the AVX2 6×16 micro-kernel.
func sgemmKernel256(k int, a, b, c *float32, ldc int, alpha, beta float32, mr int) {
	ap, bp := f32s(a, 6*k), f32s(b, 16*k)
	var acc [6][32]float32
	for p := 0; p < k; p++ {
		for r := 0; r < 6; r++ {
			av := ap[p*6+r]
			for j := 0; j < 16; j++ {
				acc[r][j] += av * bp[p*16+j]
			}
		}
	}
	storeTile(acc[:mr], c, ldc, alpha, beta, 0xffff)
}

// sgemmKernel256u is the Go twin of the AVX2 6×16 kernel reading A in place.
func sgemmKernel256u(k int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32, mr int) {
	ap, bp := f32s(a, 5*lda+k), f32s(b, 16*k)
	var acc [6][32]float32
	for p := 0; p < k; p++ {
		for r := 0; r < 6; r++ {
			av := ap[r*lda+p]
			for j := 0; j < 16; j++ {
				acc[r][j] += av * bp[p*16+j]
			}
		}
	}
	storeTile(acc[:mr], c, ldc, alpha, beta, 0xffff)
}

// sgemmEdge256 is the Go twin of the AVX2 2×32 edge kernel.
func sgemmEdge256(k int, a, b *float32, ps int, c *float32, ldc int, alpha, beta float32, mr int) {
	ap, bp := f32s(a, 6*k), f32s(b, ps+16*k)
	var acc [2][32]float32
	for p := 0; p < k; p++ {
		for r := 0; r < 2; r++ {
			av := ap[p*6+r]
			for j := 0; j < 32; j++ {
				acc[r][j] += av * bp[j/16*ps+p*16+j%16]
			}
		}
	}
	storeTile(acc[:mr], c, ldc, alpha, beta, 0xffffffff)
}

// transPack8 is the Go twin of the AVX transposing pack.
func transPack8(k8 int, src *float32, ld int, dst *float32, ds int) {
	if k8 <= 0 {
		return
	}
	s, d := f32s(src, 7*ld+k8), f32s(dst, (k8-1)*ds+8)
	for p := 0; p < k8; p++ {
		for r := 0; r < 8; r++ {
			d[p*ds+r] = s[r*ld+p]
		}
	}
}

// packA6 is the Go twin of the AVX 6-row transposing pack.
func packA6(k8 int, src *float32, ld int, dst *float32) {
	if k8 <= 0 {
		return
	}
	s, d := f32s(src, 5*ld+k8), f32s(dst, 6*k8)
	for p := 0; p < k8; p++ {
		for r := 0; r < 6; r++ {
			d[p*6+r] = s[r*ld+p]
		}
	}
}

// packA6T is the Go twin of the 6-column pack.
func packA6T(k int, src *float32, ld int, dst *float32) {
	if k <= 0 {
		return
	}
	s, d := f32s(src, (k-1)*ld+6), f32s(dst, 6*k)
	for p := 0; p < k; p++ {
		copy(d[p*6:p*6+6], s[p*ld:p*ld+6])
	}
}

// packB16T is the Go twin of the 16-row transposing pack.
func packB16T(k8 int, src *float32, ld int, dst *float32) {
	if k8 <= 0 {
		return
	}
	s, d := f32s(src, 15*ld+k8), f32s(dst, 16*k8)
	for p := 0; p < k8; p++ {
		for j := 0; j < 16; j++ {
			d[p*16+j] = s[j*ld+p]
		}
	}
}

// packB16 is the Go twin of the 16-column panel pack.
func packB16(k, np int, src *float32, ld int, dst *float32, ps int) {
	if k <= 0 || np <= 0 {
		return
	}
	s, d := f32s(src, (k-1)*ld+16*np), f32s(dst, (np-1)*ps+16*k)
	for p := 0; p < k; p++ {
		for q := 0; q < np; q++ {
			copy(d[q*ps+p*16:q*ps+p*16+16], s[p*ld+q*16:p*ld+q*16+16])
		}
	}
}
