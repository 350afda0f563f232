package kernel

import "sync"

// kernels is the table of one element type's kernels and pools. The
// exported entry points look it up once (kernelsOf) and hand it down, so
// that everything below them is written once, generic in T, and calls the
// type's assembly (or its Go twin) through these fields.
//
// The gemm fields are set for every build: on amd64 they are the assembly
// kernels, elsewhere and with -tags noasm their pure-Go twins (which the
// driver selects only when tests force it). The element-wise fields
// (biasReLU … adam) are nil where this build has no assembly for them.
type kernels[T Float] struct {
	// shape returns the tile shape Gemm multiplies an m×n×k product with,
	// or false where it keeps the exact loops.
	shape func(transB bool, m, n, k int) (tileShape, bool)

	// gemm512 is the AVX-512 packed micro-kernel: an 8-row tile (mr rows
	// stored, the columns of mask) of 32 float32 or 16 float64 columns.
	gemm512 func(k int, a, b, c *T, ldc int, alpha, beta T, mr int, mask uint32)
	// gemm256 is the AVX2 packed micro-kernel, a 6-row tile of 16
	// float32 or 8 float64 columns, mr rows stored (full256: only 6).
	gemm256 func(k int, a, b, c *T, ldc int, alpha, beta T, mr int)
	full256 bool
	// gemm128 is the arm64 NEON packed micro-kernel (float32 only; nil
	// elsewhere), an 8×12 tile, mr rows stored.
	gemm128 func(k int, a, b, c *T, ldc int, alpha, beta T, mr int)
	// gemm256u and gemmEdge256 (float32 only) read an untransposed A in
	// place and compute the last one or two rows across two B panels.
	gemm256u    func(k int, a *T, lda int, b, c *T, ldc int, alpha, beta T, mr int)
	gemmEdge256 func(k int, a, b *T, ps int, c *T, ldc int, alpha, beta T, mr int)
	// unpacked is the AVX-512 path without packing (float32 only).
	unpacked func(ks *kernels[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, buf *packBuf[T])

	// Packing: transpose moves tRows rows of a matrix into the columns of
	// a panel, kq (a multiple of tRows) steps at a time; the float32
	// AVX2 panels have their own packers (nil for float64).
	transpose func(kq int, src *T, ld int, dst *T, ds int)
	tRows     int
	packA6    func(k8 int, src *T, ld int, dst *T)
	packA6T   func(k int, src *T, ld int, dst *T)
	packB16   func(k, np int, src *T, ld int, dst *T, ps int)
	packB16T  func(k8 int, src *T, ld int, dst *T)

	// The fused element-wise passes in assembly: each reports (or
	// returns) how much of its work it did.
	biasReLU     func(m, n, ld int, z, b, a []T) bool
	reluBackward func(m, n, ld int, dz, da, z, db []T) bool
	sgd          func(p, g, buf []T, c SGDCoef[T]) int
	adam         func(p, g, m, v []T, c AdamCoef[T]) int

	// Pools of pack buffers and of the thread pool's tasks.
	bufs, gemmTasks, thenTasks, sgdTasks, adamTasks, gatherTasks sync.Pool
}

var (
	kernels32 kernels[float32]
	kernels64 kernels[float64]
)

func init() {
	kernels32.shape = shape32
	kernels32.gemm512 = gemm512s
	kernels32.gemm256 = gemm256s
	kernels32.gemm256u = gemm256us
	kernels32.gemmEdge256 = gemmEdge256s
	kernels32.unpacked = unpacked512s
	kernels32.transpose, kernels32.tRows = transpose8s, 8
	kernels32.packA6, kernels32.packA6T = packA6s, packA6Ts
	kernels32.packB16, kernels32.packB16T = packB16s, packB16Ts

	kernels64.shape = shape64
	kernels64.gemm512 = gemm512d
	kernels64.gemm256 = func(k int, a, b, c *float64, ldc int, alpha, beta float64, _ int) {
		gemm256d(k, a, b, c, ldc, alpha, beta)
	}
	kernels64.full256 = true
	kernels64.transpose, kernels64.tRows = transpose4d, 4
}

// kernelsOf returns the kernels of element type T, or nil for a named
// float type (which takes the plain Go loops everywhere). It is the one
// place that switches on the element type.
func kernelsOf[T Float]() *kernels[T] {
	var zero T
	switch any(zero).(type) {
	case float32:
		return any(&kernels32).(*kernels[T])
	case float64:
		return any(&kernels64).(*kernels[T])
	}
	return nil
}

// get takes an *X from pool p, or a new one.
func get[X any](p *sync.Pool) *X {
	if x, ok := p.Get().(*X); ok {
		return x
	}
	return new(X)
}
