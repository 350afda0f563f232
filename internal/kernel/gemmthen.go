package kernel

// GemmThen: several products in one job, each block of C handed on as
// soon as it is done.
//
// A training step's weight gradients dW = A_prevᵀ·dZ, one per layer, are
// independent of each other, and each parameter's optimizer update needs
// only its own dW. Computing them as one job, every product split into
// blocks of whole rows of C, and updating each block of W on the thread
// that has just computed its block of dW, takes one hand-off between
// threads for the whole phase instead of one per product and one per
// update, and updates W while its gradient is still in that thread's
// cache.

// A Product is one matrix product C = op(A)·op(B) for GemmThen, with op(A)
// m×k (A stored with row stride LDA), op(B) k×n (row stride LDB) and C
// contiguous m×n, overwritten.
type Product[T Float] struct {
	TransA, TransB bool
	M, N, K        int
	A              []T
	LDA            int
	B              []T
	LDB            int
	C              []T
}

// GemmThen computes every product ps[i] and calls then(i, lo, hi) for
// each block ps[i].C[lo:hi] (whole rows) once the block is done, on the
// thread that computed it; then may be nil. The blocks of all products
// are one job, split between threads (see SetThreads): a product is split
// into blocks of rows where Gemm would split it, else computed whole.
// Every C is bit for bit what Gemm(TransA, TransB, M, N, K, 1, A, LDA, B,
// LDB, 0, C, N) gives, for any thread count; the blocks, and so the calls
// of then, do depend on the thread count. then runs concurrently for
// different blocks, and never for overlapping ones.
func GemmThen[T Float](ps []Product[T], then func(i, lo, hi int)) {
	ks := kernelsOf[T]()
	if ks == nil || Threads() == 1 && forceParts == 0 {
		for i := range ps {
			p := &ps[i]
			Gemm(p.TransA, p.TransB, p.M, p.N, p.K, 1, p.A, p.LDA, p.B, p.LDB, 0, p.C, p.N)
			if then != nil && p.M*p.N > 0 {
				then(i, 0, p.M*p.N)
			}
		}
		return
	}
	t := get[thenTask[T]](&ks.thenTasks)
	t.ks, t.ps, t.then = ks, ps, then
	t.blocks = t.blocks[:0]
	for i := range ps {
		p := &ps[i]
		if p.M == 0 || p.N == 0 {
			continue
		}
		s, ok := ks.shape(p.TransB, p.M, p.N, p.K)
		parts := 1
		if ok && p.K > 0 {
			parts = split(s, p.M, p.N, p.K)
		}
		chunk := p.M
		if parts > 1 {
			chunk = (p.M + parts - 1) / parts
			chunk = (chunk + s.mr - 1) / s.mr * s.mr
		}
		for lo := 0; lo < p.M; lo += chunk {
			t.blocks = append(t.blocks, rowBlock{i, lo, min(lo+chunk, p.M), s, ok})
		}
	}
	runTask(t, len(t.blocks))
}

// A rowBlock is rows [lo, hi) of product i, multiplied with tile shape s
// (ok) or by the exact loops (!ok).
type rowBlock struct {
	i, lo, hi int
	s         tileShape
	ok        bool
}

// thenTask is GemmThen's job: one part per row block.
type thenTask[T Float] struct {
	j      job
	ks     *kernels[T]
	ps     []Product[T]
	then   func(i, lo, hi int)
	blocks []rowBlock
}

func (t *thenTask[T]) run(part int) {
	r := t.blocks[part]
	p := &t.ps[r.i]
	c := call[T]{p.TransA, p.TransB, p.M, p.N, p.K, 1, 0, p.A, p.B, p.C, p.LDA, p.LDB, p.N}
	switch {
	case p.K == 0:
		clear(p.C[r.lo*p.N : r.hi*p.N])
	case r.ok:
		buf := getBuf(t.ks)
		runPart(t.ks, &c, true, r.lo, r.hi-r.lo, r.s, buf)
		t.ks.bufs.Put(buf)
	default:
		a := p.A[r.lo*p.LDA:]
		if p.TransA {
			a = p.A[r.lo:]
		}
		gemmLoops(t.ks, p.TransA, p.TransB, r.hi-r.lo, p.N, p.K, 1, a, p.LDA, p.B, p.LDB, 0, p.C[r.lo*p.N:], p.N)
	}
	if t.then != nil {
		t.then(r.i, r.lo*p.N, r.hi*p.N)
	}
}

func (t *thenTask[T]) getJob() *job { return &t.j }

func (t *thenTask[T]) release() {
	ks, blocks := t.ks, t.blocks[:0]
	*t = thenTask[T]{blocks: blocks}
	ks.thenTasks.Put(t)
}
