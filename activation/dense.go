package activation

import (
	"fmt"

	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/tensor"
)

// ForwardDense is a dense layer's whole forward step (steps 2–3 of the
// tutorials):
//
//	Z = A_prev·W;  Z += b;  A = f(Z)
//
// with the results of tensor.MatMul(z, aPrev, tensor.NoTrans, w,
// tensor.NoTrans) followed by ForwardBias(k, a, z, b), bit for bit. When
// the product is split between threads, each thread adds the bias and
// applies f to the block of Z it has just computed, while that block is
// in its cache. a may be z itself; b may be nil. Neither may share
// storage with aPrev or w.
func ForwardDense[T tensor.Float](k Kind, a, z, aPrev, w, b *tensor.Dense[T]) {
	valid("ForwardDense", k)
	m, kk := aPrev.Dims()
	if w.Rows() != kk || z.Rows() != m || z.Cols() != w.Cols() {
		panic(fmt.Sprintf("activation: ForwardDense: A_prev %s · W %s into Z %s", aPrev.Shape(), w.Shape(), z.Shape()))
	}
	same("ForwardDense", a, z)
	n := z.Cols()
	bd := rowData("ForwardDense", "b", b, n)
	for _, out := range []*tensor.Dense[T]{z, a} {
		if tensor.Overlap(out, aPrev) || tensor.Overlap(out, w) {
			panic("activation: ForwardDense: Z or A shares storage with A_prev or W")
		}
	}
	kernel.GemmBiasAct(kernel.Act(k), m, n, kk, aPrev.Data(), max(kk, 1), w.Data(), max(n, 1), bd, z.Data(), a.Data())
}

// BackwardDense is the backward step from a dense layer down to the dense
// layer below it, whose activation is k (steps 8–9 of the tutorials):
//
//	dA = dZ_next·W_nextᵀ;  dZ = dA ⊙ f′(Z);  db = Σᵢ dZ[i,:]
//
// where dZ_next and W_next belong to the layer above and Z, A to this
// one. The results are those of tensor.MatMul(da, dzNext, tensor.NoTrans,
// wNext, tensor.Trans) followed by BackwardBias(k, dz, db, da, z, a), bit
// for bit; when the product is split between threads, each thread finishes
// its own block of dA (for db, a block of whole columns). db may be nil;
// dz may be da. None of da, dz and db may share storage with dzNext or
// wNext.
func BackwardDense[T tensor.Float](k Kind, dz, db, da, dzNext, wNext, z, a *tensor.Dense[T]) {
	valid("BackwardDense", k)
	m, kk := dzNext.Dims()
	if wNext.Cols() != kk || da.Rows() != m || da.Cols() != wNext.Rows() {
		panic(fmt.Sprintf("activation: BackwardDense: dZ_next %s · W_nextᵀ %s into dA %s", dzNext.Shape(), wNext.Shape(), da.Shape()))
	}
	same("BackwardDense", dz, da)
	same("BackwardDense", dz, z)
	same("BackwardDense", dz, a)
	n := da.Cols()
	dbd := rowData("BackwardDense", "db", db, n)
	for _, out := range []*tensor.Dense[T]{da, dz, db} {
		if out != nil && (tensor.Overlap(out, dzNext) || tensor.Overlap(out, wNext)) {
			panic("activation: BackwardDense: dA, dZ or db shares storage with dZ_next or W_next")
		}
	}
	kernel.GemmActBackward(kernel.Act(k), m, n, kk, dzNext.Data(), max(kk, 1), wNext.Data(), max(kk, 1), da.Data(), z.Data(), a.Data(), dz.Data(), dbd)
}
