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
func sgemmKernel256(k int, a, b, c *float32, ldc int, alpha, beta float32) {
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
	storeTile(acc[:], c, ldc, alpha, beta, 0xffff)
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
