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
//	db = Σᵢ dZ[i,:]
//
// with W_next N×K as stored (row stride LDW), DA, DZ, Z, A contiguous m×N
// (Z or A may be nil where F does not need it; DZ may be DA) and DB 1×N,
// or nil for no bias gradient.
type DeltaStep[T Float] struct {
	F            Act
	N, K         int
	W            []T
	LDW          int
	DA, DZ, Z, A []T
	DB           []T
}

// GemmDeltas runs the steps ls in order from the delta dz (m rows, row
// stride ldd, ls[0].K columns), the DZ of each step the dZ_next of the
// next. When the products are large enough to be split between threads
// (see SetThreads), the batch is split into blocks of whole tiles of rows
// and each thread takes its blocks down every layer; the bias gradients,
// sums over every row, follow. The results are those of GemmActBackward
// on each step in turn, bit for bit, for any thread count.
func GemmDeltas[T Float](m int, dz []T, ldd int, ls []DeltaStep[T]) {
	ks := kernelsOf[T]()
	chunk := batchChunk(ks, true, m, len(ls), func(i int) (int, int) { return ls[i].N, ls[i].K })
	if chunk == 0 {
		d, ldd := dz, ldd
		for i := range ls {
			l := &ls[i]
			GemmActBackward(l.F, m, l.N, l.K, d, ldd, l.W, l.LDW, l.DA, l.Z, l.A, l.DZ, l.DB)
			d, ldd = l.DZ, max(l.N, 1)
		}
		return
	}
	runChain(ks, m, chunk, dz, ldd, nil, ls)
	for i := range ls {
		if l := &ls[i]; l.DB != nil {
			SumRows(m, l.N, l.DZ, l.DB)
		}
	}
}
