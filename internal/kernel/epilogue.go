package kernel

// Fused dense-layer steps: a matrix multiply whose element-wise epilogue
// (the bias and activation of the forward step, the activation derivative
// and bias gradient of the backward step) runs inside the same job.
//
// When the product is split between threads, each thread applies the
// epilogue to the block of C it has just computed, while that block is
// still in its cache, instead of the caller making a second, single-thread
// pass over the whole matrix after the multiply. The numbers are the same
// as the unfused calls, bit for bit, on any number of threads: every
// epilogue is element-wise, except softmax, a function of whole rows, for
// which the product is split by rows, and the bias gradient, a column sum
// over all rows, for which it is split by columns.

// epiKind says which epilogue a job runs after each part.
type epiKind uint8

const (
	epiNone        epiKind = iota
	epiBiasAct             // forward: z += b; a = f(z), with z = C
	epiActBackward         // backward: dz = da ⊙ f′(z); db = Σᵢ dz[i,:], with da = C
)

// epilogue holds the operands of a fused step. Every matrix has n columns
// and row stride n.
type epilogue[T Float] struct {
	kind epiKind
	f    Act
	n    int
	b    []T // forward: the bias (nil for none)
	z, a []T // forward: Z (= C) and A; backward: the cached Z and A
	da   []T // backward: dA (= C)
	dz   []T // backward: dZ
	db   []T // backward: the bias gradient (nil for none)

	lse []float64 // forward softmax: each row's log-sum-exp (nil for none)
}

// GemmBiasAct is a dense layer's forward step in one job:
//
//	Z = A_prev·W;  Z += b;  A = f(Z)
//
// with A_prev m×k (row stride lda), W k×n (row stride ldw), and Z, A and
// b (1×n, or nil for no bias) contiguous. a may be z. The result is bit for
// bit that of Gemm(false, false, m, n, k, 1, aPrev, lda, w, ldw, 0, z, n)
// followed by BiasAct(f, m, n, z, b, a).
func GemmBiasAct[T Float](f Act, m, n, k int, aPrev []T, lda int, w []T, ldw int, b, z, a []T) {
	gemmBiasAct(epilogue[T]{kind: epiBiasAct, f: f, n: n, b: b, z: z, a: a}, m, k, aPrev, lda, w, ldw)
}

// GemmBiasSoftmax is GemmBiasAct(Softmax, …), the forward step of a
// softmax output layer, which also writes the log-sum-exp of each row of
// Z into lse (m elements; nil for none):
//
//	lse[i] = mᵢ + log Σⱼ e^(Z[i,j]−mᵢ),  mᵢ = maxⱼ Z[i,j]
//
// in float64, from the maximum and the sum the softmax divides by, in the
// order loss.ValueLogits computes them: the cross-entropy of row i is then
// −Σⱼ y[i,j]·(Z[i,j] − lse[i]) with no exponential left to compute. Z and
// A are GemmBiasAct's, bit for bit.
func GemmBiasSoftmax[T Float](m, n, k int, aPrev []T, lda int, w []T, ldw int, b, z, a []T, lse []float64) {
	if lse != nil {
		lse = lse[:m]
	}
	gemmBiasAct(epilogue[T]{kind: epiBiasAct, f: Softmax, n: n, b: b, z: z, a: a, lse: lse}, m, k, aPrev, lda, w, ldw)
}

// gemmBiasAct runs Z = A_prev·W then the forward epilogue e: in one job
// split between threads where gemmSplit splits it, else the product and
// then e on all m rows.
func gemmBiasAct[T Float](e epilogue[T], m, k int, aPrev []T, lda int, w []T, ldw int) {
	n := e.n
	if !gemmSplit(false, false, m, n, k, aPrev, lda, w, ldw, e.z, e) {
		Gemm(false, false, m, n, k, 1, aPrev, lda, w, ldw, 0, e.z, n)
		e.apply(kernelsOf[T](), true, 0, m, m)
	}
}

// GemmActBackward is the backward step from one dense layer to the layer
// below it, in one job:
//
//	dA = dZ_next·W_nextᵀ;  dZ = dA ⊙ f′(Z);  db = Σᵢ dZ[i,:]
//
// with dZ_next m×k (row stride ldd), W_next n×k as stored (row stride
// ldw), and dA, dZ, Z, A contiguous m×n (Z or A may be nil where f does not
// need it, as for ActBackward) and db 1×n or nil. The result is bit for bit
// that of Gemm(false, true, m, n, k, 1, dzNext, ldd, wNext, ldw, 0, da, n)
// followed by ActBackward(f, m, n, dz, da, z, a, db).
func GemmActBackward[T Float](f Act, m, n, k int, dzNext []T, ldd int, wNext []T, ldw int, da, z, a, dz, db []T) {
	e := epilogue[T]{kind: epiActBackward, f: f, n: n, z: z, a: a, da: da, dz: dz, db: db}
	if f == Softmax || !gemmSplit(false, true, m, n, k, dzNext, ldd, wNext, ldw, da, e) {
		Gemm(false, true, m, n, k, 1, dzNext, ldd, wNext, ldw, 0, da, n)
		ActBackward(f, m, n, dz, da, z, a, db)
	}
}

// gemmSplit runs C = op(A)·op(B) (alpha 1, beta 0, C contiguous m×n) with
// epilogue e as a job split between threads, on the path Gemm would take,
// and reports whether it did: it does nothing when Gemm would not split
// the product.
func gemmSplit[T Float](transA, transB bool, m, n, k int, a []T, lda int, b []T, ldb int, c []T, e epilogue[T]) bool {
	ks := kernelsOf[T]()
	if m == 0 || n == 0 || k == 0 || ks == nil {
		return false
	}
	s, ok := ks.shape(transB, m, n, k)
	parts := split(s, m, n, k)
	if parts == 1 && e.kind == epiBiasAct && e.f == Softmax && m >= softmaxSplitRows {
		// Below the product's own threshold the softmax (n
		// exponentials a row) costs more than the product: share its
		// rows between the threads.
		parts = Threads()
	}
	if ok && parts > 1 {
		parallel(ks, s, parts, transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, n, &e)
		return true
	}
	return false
}

// softmaxSplitRows is the number of rows from which a softmax layer's
// forward job is split between threads however small its product
// (BenchmarkSoftmaxSplit; a variable for it and the tests).
var softmaxSplitRows = 16

// splitRows reports whether a job with epilogue e on an m×n C splits the
// rows of C: along the longer side, except that softmax needs whole rows
// and a bias gradient whole columns.
func (e *epilogue[T]) splitRows(m, n int) bool {
	switch {
	case e == nil:
	case e.kind == epiBiasAct && e.f == Softmax:
		return true
	case e.kind == epiActBackward && e.db != nil:
		return false
	}
	return m >= n
}

// apply runs the epilogue on rows (or columns) [lo, lo+size) of the m×n C
// with the element-wise kernels of ks.
func (e *epilogue[T]) apply(ks *kernels[T], byRows bool, lo, size, m int) {
	if e.kind == epiNone {
		return
	}
	n := e.n
	r0, r1, c0, c1 := 0, m, 0, n
	if byRows {
		r0, r1 = lo, min(lo+size, m)
	} else {
		c0, c1 = lo, min(lo+size, n)
	}
	if r0 >= r1 || c0 >= c1 {
		return
	}
	switch e.kind {
	case epiBiasAct:
		if e.lse != nil { // softmax: split by whole rows
			o := r0 * n
			biasSoftmax(r1-r0, n, e.z[o:], e.b, e.a[o:], e.lse[r0:])
			return
		}
		if c0 == 0 && c1 == n {
			o := r0 * n
			biasAct(ks, e.f, r1-r0, n, e.z[o:], e.b, e.a[o:])
			return
		}
		b := from(e.b, c0)
		if e.f == ReLU { // the block's rows in one pass, n apart
			o := r0*n + c0
			biasReLU(ks, r1-r0, c1-c0, n, e.z[o:], b, e.a[o:])
			return
		}
		for r := r0; r < r1; r++ {
			o := r*n + c0
			biasAct(ks, e.f, 1, c1-c0, e.z[o:], b, e.a[o:])
		}
	case epiActBackward:
		if e.db == nil {
			if c0 == 0 && c1 == n {
				o := r0 * n
				actBackward(ks, e.f, r1-r0, n, e.dz[o:], e.da[o:], from(e.z, o), from(e.a, o), nil)
				return
			}
			if e.f == ReLU { // the block's rows in one pass, n apart
				o := r0*n + c0
				reluBackward(ks, r1-r0, c1-c0, n, e.dz[o:], e.da[o:], e.z[o:], nil)
				return
			}
			for r := r0; r < r1; r++ {
				o := r*n + c0
				actBackward(ks, e.f, 1, c1-c0, e.dz[o:], e.da[o:], from(e.z, o), from(e.a, o), nil)
			}
			return
		}
		// A block of whole columns: their bias gradient, row by row in
		// order, as ActBackward sums it.
		w := c1 - c0
		db := e.db[c0:c1]
		clear(db)
		if e.f == ReLU { // the block's rows in one pass, n apart
			o := r0*n + c0
			reluBackward(ks, r1-r0, w, n, e.dz[o:], e.da[o:], e.z[o:], db)
			return
		}
		for r := r0; r < r1; r++ {
			o := r*n + c0
			dz, da := e.dz[o:o+w], e.da[o:o+w]
			actBackward(ks, e.f, 1, w, dz, da, from(e.z, o), from(e.a, o), nil)
			addRows(1, w, dz, db)
		}
	}
}

// from returns x[i:], or nil for a nil x.
func from[T Float](x []T, i int) []T {
	if x == nil {
		return nil
	}
	return x[i:]
}
