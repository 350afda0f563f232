package kernel

// GemmDeltas: the chain of deltas of a backward pass as one job.
//
// Like the forward pass, the backward pass from one layer's delta to the
// next layer down is a function of each row of the batch alone (the bias
// gradients, sums over rows, are left out), so a thread that owns a block
// of rows takes it down every layer without waiting for the others.

// A DeltaStep is one step of the backward chain for GemmDeltas, from the
// delta dZ_next (m×K) of a dense layer down to the layer below it, with
// activation F and N units:
//
//	dA = dZ_next·W_nextᵀ;  dZ = dA ⊙ f′(Z)
//
// with W_next N×K as stored (row stride LDW) and DA, DZ, Z, A contiguous
// m×N (Z or A may be nil where F does not need it; DZ may be DA).
type DeltaStep[T Float] struct {
	F            Act
	N, K         int
	W            []T
	LDW          int
	DA, DZ, Z, A []T
}

// GemmDeltas runs the steps ls in order from the delta dz (m rows, row
// stride ldd, ls[0].K columns), the DZ of each step the dZ_next of the
// next. When the products are large enough to be split between threads
// (see SetThreads), the batch is split into blocks of whole tiles of rows
// and each thread takes its blocks down every layer. The results are
// those of GemmActBackward (with no bias gradient) on each step in turn,
// bit for bit, for any thread count.
func GemmDeltas[T Float](m int, dz []T, ldd int, ls []DeltaStep[T]) {
	ks := kernelsOf[T]()
	chunk := batchChunk(ks, true, m, len(ls), func(i int) (int, int) { return ls[i].N, ls[i].K })
	if chunk == 0 {
		d, ldd := dz, ldd
		for i := range ls {
			l := &ls[i]
			GemmActBackward(l.F, m, l.N, l.K, d, ldd, l.W, l.LDW, l.DA, l.Z, l.A, l.DZ, nil)
			d, ldd = l.DZ, max(l.N, 1)
		}
		return
	}
	t := get[deltasTask[T]](&ks.deltasTasks)
	t.ks, t.m, t.dz, t.ldd, t.ls, t.chunk = ks, m, dz, ldd, ls, chunk
	runTask(t, (m+chunk-1)/chunk)
}

// deltasTask is GemmDeltas' job: part i is rows [i·chunk, (i+1)·chunk)
// of the batch down every layer.
type deltasTask[T Float] struct {
	j        job
	ks       *kernels[T]
	m, chunk int
	dz       []T
	ldd      int
	ls       []DeltaStep[T]
}

func (t *deltasTask[T]) run(i int) {
	r0 := i * t.chunk
	h := min(t.chunk, t.m-r0)
	if h <= 0 {
		return
	}
	buf := getBuf(t.ks)
	d, ldd := t.dz[r0*t.ldd:], t.ldd
	for li := range t.ls {
		l := &t.ls[li]
		n, o := l.N, r0*l.N
		rowsOf(t.ks, true, t.m, h, n, l.K, d, ldd, l.W, l.LDW, l.DA[o:], buf)
		actBackward(t.ks, l.F, h, n, l.DZ[o:], l.DA[o:], from(l.Z, o), from(l.A, o), nil)
		d, ldd = l.DZ[o:], max(n, 1)
	}
	t.ks.bufs.Put(buf)
}

func (t *deltasTask[T]) getJob() *job { return &t.j }

func (t *deltasTask[T]) release() {
	ks := t.ks
	*t = deltasTask[T]{}
	ks.deltasTasks.Put(t)
}
