//go:build !noasm

package kernel

// fma128s runs n iterations of 24 independent NEON float32 fused
// multiply-adds (FMLA on 128-bit vectors) on registers only:
// 24·4·2 = 192 FLOPs an iteration.
//
//go:noescape
func fma128s(n int)

// peakLoop returns the register-only FMA loop of the NEON kernel Gemm
// dispatches float32 to on arm64, its FLOPs per iteration and its name;
// the pure-Go loop where Gemm runs Go.
func peakLoop() (loop func(n int), flops int, isa string) {
	if useNEON {
		return fma128s, 192, "neon"
	}
	return peakGo, peakGoFLOPs, "go"
}
