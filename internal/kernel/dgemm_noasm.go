//go:build noasm || !amd64

package kernel

import "unsafe"

// f64s views n float64 values at p (n may be 0 when p is nil).
func f64s(p *float64, n int) []float64 {
	if n <= 0 {
		return nil
	}
	return unsafe.Slice(p, n)
}

// dgemmKernel512 is the Go twin of the AVX-512 8×16 float64 micro-kernel.
func dgemmKernel512(k int, a, b, c *float64, ldc int, alpha, beta float64, mr int, mask uint32) {
	ap, bp := f64s(a, 8*k), f64s(b, 16*k)
	var acc [8][16]float64
	for p := 0; p < k; p++ {
		for r := 0; r < 8; r++ {
			av := ap[p*8+r]
			for j := 0; j < 16; j++ {
				acc[r][j] += av * bp[p*16+j]
			}
		}
	}
	storeTile64(acc[:mr], c, ldc, alpha, beta, mask)
}

// dgemmKernel256 is the Go twin of the AVX2 6×8 float64 micro-kernel.
func dgemmKernel256(k int, a, b, c *float64, ldc int, alpha, beta float64) {
	ap, bp := f64s(a, 6*k), f64s(b, 8*k)
	var acc [6][16]float64
	for p := 0; p < k; p++ {
		for r := 0; r < 6; r++ {
			av := ap[p*6+r]
			for j := 0; j < 8; j++ {
				acc[r][j] += av * bp[p*8+j]
			}
		}
	}
	storeTile64(acc[:], c, ldc, alpha, beta, 0xff)
}

func storeTile64(acc [][16]float64, c *float64, ldc int, alpha, beta float64, mask uint32) {
	for r := range acc {
		for j := 0; j < 16; j++ {
			if mask&(1<<j) == 0 {
				continue
			}
			cp := (*float64)(unsafe.Add(unsafe.Pointer(c), 8*(r*ldc+j)))
			v := alpha * acc[r][j]
			if beta != 0 {
				v += beta * *cp
			}
			*cp = v
		}
	}
}

// transPack4d is the Go twin of the AVX transposing float64 pack.
func transPack4d(k4 int, src *float64, ld int, dst *float64, ds int) {
	if k4 <= 0 {
		return
	}
	s, d := f64s(src, 3*ld+k4), f64s(dst, (k4-1)*ds+4)
	for p := 0; p < k4; p++ {
		for r := 0; r < 4; r++ {
			d[p*ds+r] = s[r*ld+p]
		}
	}
}
