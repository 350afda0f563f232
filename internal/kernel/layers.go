package kernel

// GemmLayers: the forward pass of a stack of dense layers as one job.
//
// Each row of a layer's output depends only on the same row of its input,
// so a thread that owns a block of rows of the batch can take it through
// every layer without waiting for the other threads: one hand-off for the
// whole forward pass instead of one per layer, and the output layer
// (softmax included) is split between the threads too.

// A DenseStep is one dense layer's forward step for GemmLayers:
//
//	Z = A_prev·W;  Z += b;  A = f(Z)
//
// with W K×N (row stride LDW), B 1×N or nil, and Z and A contiguous m×N
// for a batch of m rows (A may be Z).
type DenseStep[T Float] struct {
	F       Act
	N, K    int
	W       []T
	LDW     int
	B, Z, A []T
}

// GemmLayers runs the forward steps ls in order on a batch X of m rows
// (row stride ldx, ls[0].K columns), the A of each step the A_prev of the
// next. When the products are large enough to be split between threads
// (see SetThreads), the batch is split into blocks of whole tiles of rows
// and each thread takes its blocks through every layer. The results are
// those of GemmBiasAct on each layer in turn, bit for bit, for any thread
// count.
func GemmLayers[T Float](m int, x []T, ldx int, ls []DenseStep[T]) {
	ks := kernelsOf[T]()
	chunk := batchChunk(ks, false, m, len(ls), func(i int) (int, int) { return ls[i].N, ls[i].K })
	if chunk == 0 {
		a, lda := x, ldx
		for i := range ls {
			l := &ls[i]
			GemmBiasAct(l.F, m, l.N, l.K, a, lda, l.W, l.LDW, l.B, l.Z, l.A)
			a, lda = l.A, max(l.N, 1)
		}
		return
	}
	runChain(ks, m, chunk, x, ldx, ls)
}

// batchChunk returns the rows per block when a chain of count products
// over a batch of m rows, product i m×n×k with (n, k) = nk(i) and B
// transposed when transB, is split between threads by blocks of rows: a
// multiple of every tile height the products use, so that each product is
// split in whole tiles as Gemm splits it. It returns 0 when no product is
// large enough to be split (or ks is nil, or there is one thread).
func batchChunk[T Float](ks *kernels[T], transB bool, m, count int, nk func(i int) (n, k int)) int {
	if ks == nil || m == 0 {
		return 0
	}
	parts, align := 1, 1
	for i := range count {
		n, k := nk(i)
		if s, ok := ks.shape(transB, m, n, k); ok {
			align = lcm(align, s.mr)
			if n > 0 && k > 0 {
				parts = max(parts, split(s, m, n, k))
			}
		}
	}
	chunk := (m + parts - 1) / parts
	chunk = (chunk + align - 1) / align * align
	if parts <= 1 || chunk >= m {
		return 0
	}
	return chunk
}

// rowsOf computes rows [r0, r0+h) of the m×n C = op(A)·B (B untransposed
// k×n) or op(A)·Bᵀ (transB: B stored n×k), alpha 1 and beta 0, with the
// tile shape of the whole product, as Gemm picks it: a is op(A) from row
// r0 on and c is C from row r0 on.
func rowsOf[T Float](ks *kernels[T], transB bool, m, h, n, k int, a []T, lda int, b []T, ldb int, c []T, buf *packBuf[T]) {
	s, ok := ks.shape(transB, m, n, k)
	switch {
	case n == 0:
	case k == 0:
		clear(c[:h*n])
	case ok:
		packed(ks, s, false, transB, h, n, k, 1, a, lda, b, ldb, 0, c, n, buf)
	default:
		gemmLoops(ks, false, transB, h, n, k, 1, a, lda, b, ldb, 0, c, n)
	}
}

// lcm returns the least common multiple of a and b (both ≥ 1).
func lcm(a, b int) int {
	g, r := a, b
	for r != 0 {
		g, r = r, g%r
	}
	return a / g * b
}

// chainTask is the job of GemmLayers: part i is rows [i·chunk,
// (i+1)·chunk) of the batch through every step, from the input X (row
// stride ldx).
type chainTask[T Float] struct {
	j        job
	ks       *kernels[T]
	m, chunk int
	x        []T
	ldx      int
	fwd      []DenseStep[T]
}

// runChain runs the steps fwd over the batch of m rows from x as one job,
// in blocks of chunk rows.
func runChain[T Float](ks *kernels[T], m, chunk int, x []T, ldx int, fwd []DenseStep[T]) {
	t := get[chainTask[T]](&ks.chainTasks)
	t.ks, t.m, t.chunk, t.x, t.ldx, t.fwd = ks, m, chunk, x, ldx, fwd
	runTask(t, (m+chunk-1)/chunk)
}

func (t *chainTask[T]) run(i int) {
	r0 := i * t.chunk
	h := min(t.chunk, t.m-r0)
	if h <= 0 {
		return
	}
	buf := getBuf(t.ks)
	x, ldx := t.x[r0*t.ldx:], t.ldx
	for li := range t.fwd {
		l := &t.fwd[li]
		n, o := l.N, r0*l.N
		rowsOf(t.ks, false, t.m, h, n, l.K, x, ldx, l.W, l.LDW, l.Z[o:], buf)
		biasAct(t.ks, l.F, h, n, l.Z[o:], l.B, l.A[o:])
		x, ldx = l.A[o:], max(n, 1)
	}
	t.ks.bufs.Put(buf)
}

func (t *chainTask[T]) getJob() *job { return &t.j }

func (t *chainTask[T]) release() {
	ks := t.ks
	*t = chainTask[T]{}
	ks.chainTasks.Put(t)
}
