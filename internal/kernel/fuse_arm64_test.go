package kernel

import "testing"

// TestGoFusesOnARM64 checks what the twins' bit-for-bit agreement with
// the NEON kernel rests on: Go compiles x*y + z on float32 to one fused
// multiply-add (FMADDS) on arm64. With x = y = 1+2⁻¹² and z = −1 the exact
// x·y − 1 = 2⁻¹¹ + 2⁻²⁴ fits a float32; rounding x·y first loses the 2⁻²⁴.
func TestGoFusesOnARM64(t *testing.T) {
	x, y, z := fmaOperands[0], fmaOperands[1], fmaOperands[2]
	if got, fused := x*y+z, float32(0x1p-11+0x1p-24); got != fused {
		t.Fatalf("x*y + z = %g; want the fused %g (Go no longer fuses on arm64: gemm128s and the Go loops differ in the last bit)", got, fused)
	}
}

// fmaOperands are TestGoFusesOnARM64's operands, in a variable so that
// the compiler cannot fold the expression into a constant.
var fmaOperands = []float32{1 + 0x1p-12, 1 + 0x1p-12, -1}
