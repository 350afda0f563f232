package kernel

// Float is the set of element types the kernels work on.
type Float interface {
	~float32 | ~float64
}

// Gemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices,
// where op(X) is X or Xᵀ as transA and transB say. op(A) is m×k, op(B) is
// k×n and C is m×n; lda, ldb and ldc are the row strides of A, B and C as
// stored (before any transpose).
//
// Each element of C is the sum over p = 0, 1, …, k−1 of op(A)[i,p]·op(B)[p,j],
// accumulated in that order, then scaled: when alpha is 1 and beta is 0 the
// result is exactly that sum, so Gemm and GemmRef agree bit for bit. When
// beta is 0, C is not read (NaNs in it do not propagate).
//
// Gemm is the single entry point the rest of nerve multiplies through.
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	switch {
	case !transA && !transB:
		gemmNN(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	case transA && !transB:
		gemmTN(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
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
func gemmNN[T Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	acc := make([]T, n)
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
func gemmTN[T Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	acc := make([]T, n)
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
