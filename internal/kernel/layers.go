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
	parts, align := 1, 1
	if ks != nil && m > 0 {
		for i := range ls {
			l := &ls[i]
			if s, ok := ks.shape(false, m, l.N, l.K); ok {
				align = lcm(align, s.mr)
				if l.N > 0 && l.K > 0 {
					parts = max(parts, split(s, m, l.N, l.K))
				}
			}
		}
	}
	chunk := (m + parts - 1) / max(parts, 1)
	chunk = (chunk + align - 1) / align * align
	if parts <= 1 || chunk >= m {
		a, lda := x, ldx
		for i := range ls {
			l := &ls[i]
			GemmBiasAct(l.F, m, l.N, l.K, a, lda, l.W, l.LDW, l.B, l.Z, l.A)
			a, lda = l.A, max(l.N, 1)
		}
		return
	}
	t := get[layersTask[T]](&ks.layersTasks)
	t.ks, t.m, t.x, t.ldx, t.ls, t.chunk = ks, m, x, ldx, ls, chunk
	runTask(t, (m+chunk-1)/chunk)
}

// lcm returns the least common multiple of a and b (both ≥ 1).
func lcm(a, b int) int {
	g, r := a, b
	for r != 0 {
		g, r = r, g%r
	}
	return a / g * b
}

// layersTask is GemmLayers' job: part i is rows [i·chunk, (i+1)·chunk) of
// the batch through every layer.
type layersTask[T Float] struct {
	j        job
	ks       *kernels[T]
	m, chunk int
	x        []T
	ldx      int
	ls       []DenseStep[T]
}

func (t *layersTask[T]) run(i int) {
	r0 := i * t.chunk
	h := min(t.chunk, t.m-r0)
	if h <= 0 {
		return
	}
	buf := getBuf(t.ks)
	a, lda := t.x[r0*t.ldx:], t.ldx
	for li := range t.ls {
		l := &t.ls[li]
		n := l.N
		z := l.Z[r0*n:]
		// The tile shape is the whole product's, as Gemm picks it.
		s, ok := t.ks.shape(false, t.m, n, l.K)
		switch {
		case n == 0:
		case l.K == 0:
			clear(z[:h*n])
		case ok:
			packed(t.ks, s, false, false, h, n, l.K, 1, a, lda, l.W, l.LDW, 0, z, n, buf)
		default:
			gemmLoops(t.ks, false, false, h, n, l.K, 1, a, lda, l.W, l.LDW, 0, z, n)
		}
		biasAct(t.ks, l.F, h, n, z, l.B, l.A[r0*n:])
		a, lda = l.A[r0*n:], max(n, 1)
	}
	t.ks.bufs.Put(buf)
}

func (t *layersTask[T]) getJob() *job { return &t.j }

func (t *layersTask[T]) release() {
	ks := t.ks
	*t = layersTask[T]{}
	ks.layersTasks.Put(t)
}
