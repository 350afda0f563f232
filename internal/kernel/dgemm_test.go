package kernel

import (
	"math"
	"testing"
)

// TestGemm64Dispatch checks that Gemm sends float64 products above the
// exact limit to the driver and kernel that the hooks select: its result
// must equal, bit for bit, that of calling that driver directly (the
// kernels round differently, so a product sent elsewhere would differ).
func TestGemm64Dispatch(t *testing.T) {
	s := lcg(13)
	for _, pa := range paths64() {
		if pa.parts != 0 {
			continue
		}
		for _, tr := range transposes {
			p := newProblem[float64](&s, tr[0], tr[1], 70, 90, 110, 0.5, 0.25)
			restore := use(pa)
			got := p.run(t, pa.name, 0x1p-53)
			restore()
			want := append([]float64(nil), p.c0...)
			sh := shapeGo
			switch {
			case pa.avx512:
				sh = shape512d
			case pa.avx2:
				sh = shape256d
			}
			packed(&kernels64, sh, p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, want[p.pre:], p.ldc, new(packBuf[float64]))
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%s %v: offset %d: Gemm %v, %v driver %v", pa.name, p, i-p.pre, got[i], sh, want[i])
				}
			}
		}
	}
}
