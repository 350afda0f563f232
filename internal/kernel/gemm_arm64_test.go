//go:build !noasm

package kernel

import (
	"math"
	"testing"
)

// TestNEONDispatch checks that this arm64 build multiplies float32 with the
// NEON kernel: CI runs these tests under qemu-aarch64 and must know that
// they exercised the assembly, not the pure-Go twins.
func TestNEONDispatch(t *testing.T) {
	if !useNEON || kernels32.gemm128 == nil {
		t.Fatalf("useNEON = %v, gemm128 set = %v; want the NEON kernel on arm64", useNEON, kernels32.gemm128 != nil)
	}
	for _, sh := range [][3]int{{1, 1, 1}, {32, 10, 128}, {128, 256, 784}} {
		for _, tB := range []bool{false, true} {
			if s, ok := shape32(tB, sh[0], sh[1], sh[2]); !ok || s != shape128 {
				t.Errorf("shape32(%v, %v) = %+v, %v; want shape128", tB, sh, s, ok)
			}
		}
	}
}

// TestGemm128Twin checks gemm128s against twinTile, its reference loop,
// bit for bit, on every row count, k from 0 up and every kind of alpha and
// beta, with guard values around the tile of C and NaNs in C when beta is
// 0 (they must not be read).
func TestGemm128Twin(t *testing.T) {
	const ldc = 12 + 5
	s := lcg(21)
	for _, k := range []int{0, 1, 2, 3, 7, 64, 320} {
		a, b := fill[float32](&s, 8*k+1), fill[float32](&s, 12*k+1)
		for mr := 1; mr <= 8; mr++ {
			for _, ab := range [][2]float32{{1, 0}, {1, 1}, {0.5, 0.25}, {-2, 0}, {0.5, float32(math.Copysign(0, -1))}} {
				c0 := make([]float32, 3+8*ldc+3)
				for i := range c0 {
					c0[i] = guard
				}
				for r := 0; r < mr; r++ {
					for j := 0; j < 12; j++ {
						c0[3+r*ldc+j] = float32(s.next())
						if ab[1] == 0 {
							c0[3+r*ldc+j] = float32(math.NaN())
						}
					}
				}
				got, want := append([]float32(nil), c0...), append([]float32(nil), c0...)
				gemm128s(k, &a[0], &b[0], &got[3], ldc, ab[0], ab[1], mr)
				twinTile(k, &a[0], 1, 8, &b[0], 12, &want[3], ldc, ab[0], ab[1], mr, 12)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("k=%d mr=%d alpha=%v beta=%v: offset %d (row %d, column %d): gemm128s %v; twin %v",
							k, mr, ab[0], ab[1], i-3, (i-3)/ldc, (i-3)%ldc, got[i], want[i])
					}
				}
			}
		}
	}
}
