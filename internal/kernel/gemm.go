package kernel

// Float is the set of element types the kernels work on.
type Float interface {
	~float32 | ~float64
}

// Gemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices,
// where op(X) is X or Xᵀ as transA and transB say. op(A) is m×k, op(B) is
// k×n and C is m×n; lda, ldb and ldc are the row strides of A, B and C as
// stored (before any transpose). When beta is 0, C is not read (NaNs in it
// do not propagate); when alpha is 0 (or k is 0), A and B are not read.
// Only C is written, and only its m×n elements.
//
// Small float64 products (m·n·k < 64³) and small float32 products on
// machines without AVX or NEON (or built with -tags noasm) sum each
// element over p = 0, 1, …, k−1 in that order and then scale it, so that
// with alpha 1 and beta 0 they agree bit for bit with GemmRef. Larger products are blocked
// (k in blocks of at most 320) and use fused multiply-adds where the CPU has
// them: their rounding differs from GemmRef's, within the usual bound
// |error| ≤ k·ε·Σₚ|op(A)[i,p]·op(B)[p,j]| (ε = 2⁻²⁴ for float32, 2⁻⁵³ for
// float64), and is the same for every thread count (see SetThreads).
//
// Gemm is the single entry point the rest of nerve multiplies through. It
// may be called from several goroutines at once.
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	ks := kernelsOf[T]()
	if ks == nil {
		gemmLoops(nil, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	s, ok := ks.shape(transB, m, n, k)
	switch {
	case !ok:
		gemmLoops(ks, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	case k == 0 || alpha == 0:
		scaleC(m, n, beta, c, ldc)
	default:
		blocked(ks, s, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// exactLimit is the m·n·k below which float64 (and float32 without
// assembly) keeps the exact in-order loops.
const exactLimit = 64 * 64 * 64

// shape32 returns the tile shape a float32 m×n×k product is multiplied
// with, or false where it keeps the exact loops.
func shape32(transB bool, m, n, k int) (tileShape, bool) {
	switch {
	case !useAVX512 && !useAVX2 && !useNEON && m*n*k < exactLimit:
		return tileShape{}, false
	case useAVX512 && smallShape(transB, m, n, k):
		return shapeSmall, true
	case useAVX512:
		return shape512, true
	case useAVX2:
		return shape256, true
	case useNEON:
		return shape128, true
	}
	return shapeGo, true
}

// shape64 returns the tile shape a float64 m×n×k product is multiplied
// with, or false where it keeps the exact loops.
func shape64(_ bool, m, n, k int) (tileShape, bool) {
	switch {
	case m*n*k < exactLimit:
		return tileShape{}, false
	case useAVX512:
		return shape512d, true
	case useAVX2:
		return shape256d, true
	}
	return shapeGo, true
}

// smallShape reports whether the AVX-512 path multiplies without packing.
// It depends on the shape alone.
//
// Reading B in place costs a strided pass over op(B) per eight rows of C,
// against packing it once: measured on the MLP shapes (thread CPU time,
// Zen 5), the unpacked kernel is faster for every untransposed B up to
// 128 rows of C (the forward products and dW = A_prevᵀ·dZ at batch ≤ 128:
// 185–215 GFLOP/s against 115–185 packed), and beyond that while op(B)
// fits in half of L2 (k·n ≤ 2¹⁷). A transposed B has to be packed anyway
// and the packed path handles it better.
func smallShape(transB bool, m, n, k int) bool {
	if forceSmall != 0 {
		return forceSmall > 0
	}
	return m <= smallRows || m*n*k <= smallVolume || !transB && (m <= smallMaxRows || k*n <= smallMaxB)
}

// Test hooks: forceSmall > 0 (< 0) forces (forbids) the unpacked AVX-512
// path; forceParts > 0 makes the blocked paths split every product into
// that many parts.
var (
	forceSmall int
	forceParts int
)

const (
	smallRows    = 8
	smallVolume  = 32 * 32 * 64
	smallMaxRows = 128
	smallMaxB    = 1 << 17
)

// split returns how many parts the blocked path with tile shape s splits
// an m×n×k product into: 1 (not split) below s.parallel or on one thread.
func split(s tileShape, m, n, k int) int {
	if forceParts > 0 {
		return forceParts
	}
	if m*n*k >= s.parallel {
		return Threads()
	}
	return 1
}

// blocked runs the packed path with tile shape s, on several threads when
// the product is big enough.
func blocked[T Float](ks *kernels[T], s tileShape, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if parts := split(s, m, n, k); parts > 1 {
		parallel(ks, s, parts, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
		return
	}
	buf := getBuf(ks)
	packed(ks, s, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, buf)
	ks.bufs.Put(buf)
}

// scaleC sets C = beta·C (C = 0 without reading it when beta is 0).
func scaleC[T Float](m, n int, beta T, c []T, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(ci)
		case 1:
		default:
			for j := range ci {
				ci[j] *= beta
			}
		}
	}
}

// gemmLoops is the exact path: each element summed over p in order, then
// scaled. ks (nil for named float types) lends the row accumulators.
func gemmLoops[T Float](ks *kernels[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	switch {
	case !transB:
		var acc []T
		var buf *packBuf[T]
		if ks != nil {
			buf = getBuf(ks)
			buf.a = aligned(buf.a, n)
			acc = buf.a
		} else {
			acc = make([]T, n)
		}
		if transA {
			gemmTN(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, acc)
		} else {
			gemmNN(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, acc)
		}
		if buf != nil {
			ks.bufs.Put(buf)
		}
	case !transA && transB:
		gemmNT(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	default:
		GemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// GemmRef is the reference matrix multiply: the plain triple loop with the
// same contract and the same summation order as Gemm.
//
//	for i, j: C[i,j] = alpha·Σₚ op(A)[i,p]·op(B)[p,j] + beta·C[i,j]
func GemmRef[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var sum T
			for p := 0; p < k; p++ {
				var av, bv T
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				sum += av * bv
			}
			c[i*ldc+j] = scale(alpha, sum, beta, c[i*ldc+j])
		}
	}
}

// scale returns alpha·sum + beta·old, reading old only when beta ≠ 0.
func scale[T Float](alpha, sum, beta, old T) T {
	if alpha != 1 {
		sum *= alpha
	}
	if beta == 0 {
		return sum
	}
	if beta == 1 {
		return sum + old
	}
	return sum + beta*old
}

// gemmNN: C = alpha·A·B + beta·C, accumulating row i of C as
// Σₚ A[i,p]·B[p,:] (the i-p-j order walks B and C along rows).
func gemmNN[T Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, acc []T) {
	for i := 0; i < m; i++ {
		clear(acc)
		ai := a[i*lda : i*lda+k]
		for p, av := range ai {
			bp := b[p*ldb : p*ldb+n]
			for j, bv := range bp {
				acc[j] += av * bv
			}
		}
		finish(alpha, acc, beta, c[i*ldc:i*ldc+n])
	}
}

// gemmTN: C = alpha·Aᵀ·B + beta·C, where A is stored k×m.
func gemmTN[T Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, acc []T) {
	for i := 0; i < m; i++ {
		clear(acc)
		for p := 0; p < k; p++ {
			av := a[p*lda+i]
			bp := b[p*ldb : p*ldb+n]
			for j, bv := range bp {
				acc[j] += av * bv
			}
		}
		finish(alpha, acc, beta, c[i*ldc:i*ldc+n])
	}
}

// gemmNT: C = alpha·A·Bᵀ + beta·C, where B is stored n×k: each element is
// a dot product of two contiguous rows.
func gemmNT[T Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	for i := 0; i < m; i++ {
		ai := a[i*lda : i*lda+k]
		ci := c[i*ldc : i*ldc+n]
		for j := range ci {
			bj := b[j*ldb : j*ldb+k]
			var sum T
			for p, av := range ai {
				sum += av * bj[p]
			}
			ci[j] = scale(alpha, sum, beta, ci[j])
		}
	}
}

func finish[T Float](alpha T, acc []T, beta T, c []T) {
	for j, s := range acc {
		c[j] = scale(alpha, s, beta, c[j])
	}
}
