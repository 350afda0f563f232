//go:build !noasm

package kernel

// fma512s runs n iterations of twelve independent AVX-512 float32 fused
// multiply-adds on registers only: 12·16·2 = 384 FLOPs an iteration.
//
//go:noescape
func fma512s(n int)

// fma256s is fma512s with AVX2 ymm registers: 192 FLOPs an iteration.
//
//go:noescape
func fma256s(n int)

// peakLoop returns the register-only FMA loop of the widest kernels Gemm
// dispatches to on this CPU, its FLOPs per iteration and its name; the
// pure-Go loop where Gemm runs Go.
func peakLoop() (loop func(n int), flops int, isa string) {
	switch {
	case useAVX512:
		return fma512s, 384, "avx512"
	case useAVX2:
		return fma256s, 192, "avx2"
	}
	return peakGo, peakGoFLOPs, "go"
}
