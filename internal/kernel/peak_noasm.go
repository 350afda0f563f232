//go:build noasm || !(amd64 || arm64)

package kernel

// peakLoop returns the pure-Go loop: without assembly Gemm runs Go.
func peakLoop() (loop func(n int), flops int, isa string) {
	return peakGo, peakGoFLOPs, "go"
}
