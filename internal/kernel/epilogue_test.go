package kernel

import (
	"fmt"
	"math"
	"testing"
)

// epilogueShapes are the (m, n, k) the fused steps are checked on: more
// rows than columns (split by rows) and fewer (by columns), widths that
// are not whole tiles or whole vectors, and the MLP's shapes.
var epilogueShapes = [][3]int{
	{1, 1, 1}, {3, 5, 2}, {17, 9, 33}, {9, 33, 17}, {40, 70, 65}, {70, 40, 129},
	{33, 257, 16}, {130, 20, 64}, {64, 100, 100},
	{32, 256, 784}, {128, 128, 256}, {512, 256, 128}, {32, 10, 128},
}

// TestGemmBiasAct checks that the fused forward step gives the bits of
// Gemm followed by BiasAct, on every path and split, and that with the
// product split the epilogue ran inside the job.
func TestGemmBiasAct(t *testing.T) {
	testGemmBiasAct[float32](t, paths32())
	testGemmBiasAct[float64](t, paths64())
}

// eachEpilogueCase calls check for every path, shape, activation and
// with and without a bias, with a seeded generator for the case.
func eachEpilogueCase[T float32 | float64](paths []path, check func(name string, p path, m, n, k int, f Act, bias bool, s *lcg)) {
	shapes := epilogueShapes
	if raceEnabled {
		shapes = shapes[:9] // the small ones: every split, far faster
	}
	for _, p := range paths {
		restore := use(p)
		for _, sh := range shapes {
			m, n, k := sh[0], sh[1], sh[2]
			for _, f := range acts {
				for _, bias := range []bool{true, false} {
					name := fmt.Sprintf("%T %s %dx%dx%d %v bias=%v", T(0), p.name, m, n, k, f, bias)
					s := lcg(m*131 + n*7 + k + int(f))
					check(name, p, m, n, k, f, bias, &s)
				}
			}
		}
		restore()
	}
}

func testGemmBiasAct[T float32 | float64](t *testing.T, paths []path) {
	eachEpilogueCase[T](paths, func(name string, p path, m, n, k int, f Act, bias bool, s *lcg) {
		x, w := fill[T](s, m*k), fill[T](s, k*n)
		var b []T
		if bias {
			b = fill[T](s, n)
		}
		zRef, aRef := make([]T, m*n), make([]T, m*n)
		Gemm(false, false, m, n, k, 1, x, k, w, n, 0, zRef, n)
		BiasAct(f, m, n, zRef, b, aRef)

		z, a := newGuarded[T](s, m*n), newGuarded[T](s, m*n)
		GemmBiasAct(f, m, n, k, x, k, w, n, b, z.s(), a.s())
		z.check(t, name+" Z")
		a.check(t, name+" A")
		checkBits(t, name+": Z", z.s(), zRef)
		checkBits(t, name+": A", a.s(), aRef)
		if f == Softmax {
			checkSoftmaxLSE(t, name, m, n, k, x, w, b, zRef, aRef, s)
		}

		// The split job itself, where the path splits.
		z2, a2 := make([]T, m*n), make([]T, m*n)
		e := epilogue[T]{kind: epiBiasAct, f: f, n: n, b: b, z: z2, a: a2}
		if gemmSplit(false, false, m, n, k, x, k, w, n, z2, e) {
			checkBits(t, name+": split job: A", a2, aRef)
		} else if p.parts > 1 {
			_, exact := shapeOf[T](m, n, k)
			if !exact {
				t.Fatalf("%s: not split with %d parts forced", name, p.parts)
			}
		}
	})
}

// refLSE returns each row's log-sum-exp of the m×n z as
// loss.ValueLogits computes it: the maximum, then Σ e^(z−max) in order,
// in float64.
func refLSE[T Float](m, n int, z []T) []float64 {
	lse := make([]float64, m)
	for i := range lse {
		mx := math.Inf(-1)
		for _, v := range z[i*n : (i+1)*n] {
			mx = math.Max(mx, float64(v))
		}
		var se float64
		for _, v := range z[i*n : (i+1)*n] {
			se += math.Exp(float64(v) - mx)
		}
		lse[i] = mx + math.Log(se)
	}
	return lse
}

// checkSoftmaxLSE checks that GemmBiasSoftmax gives the Z and A of
// GemmBiasAct (zRef, aRef) and the log-sum-exp of refLSE, bit for bit,
// and that the split job writes the same lse where the path splits.
func checkSoftmaxLSE[T Float](t *testing.T, name string, m, n, k int, x, w, b, zRef, aRef []T, s *lcg) {
	t.Helper()
	want := refLSE(m, n, zRef)
	z, a, lse := newGuarded[T](s, m*n), newGuarded[T](s, m*n), newGuarded[float64](s, m)
	GemmBiasSoftmax(m, n, k, x, k, w, n, b, z.s(), a.s(), lse.s())
	z.check(t, name+" lse Z")
	a.check(t, name+" lse A")
	lse.check(t, name+" lse")
	checkBits(t, name+": GemmBiasSoftmax Z", z.s(), zRef)
	checkBits(t, name+": GemmBiasSoftmax A", a.s(), aRef)
	checkBits(t, name+": GemmBiasSoftmax lse", lse.s(), want)

	z2, a2, lse2 := make([]T, m*n), make([]T, m*n), make([]float64, m)
	e := epilogue[T]{kind: epiBiasAct, f: Softmax, n: n, b: b, z: z2, a: a2, lse: lse2}
	if gemmSplit(false, false, m, n, k, x, k, w, n, z2, e) {
		checkBits(t, name+": split job: A", a2, aRef)
		checkBits(t, name+": split job: lse", lse2, want)
	}
}

// TestGemmActBackward checks that the fused backward step gives the bits
// of Gemm followed by ActBackward, on every path and split.
func TestGemmActBackward(t *testing.T) {
	testGemmActBackward[float32](t, paths32())
	testGemmActBackward[float64](t, paths64())
}

func testGemmActBackward[T float32 | float64](t *testing.T, paths []path) {
	eachEpilogueCase[T](paths, func(name string, p path, m, n, k int, f Act, bias bool, s *lcg) {
		dzNext, w := fill[T](s, m*k), fill[T](s, n*k)
		z := fill[T](s, m*n)
		a := make([]T, m*n)
		BiasAct(f, m, n, append([]T(nil), z...), nil, a)
		daRef, dzRef := make([]T, m*n), make([]T, m*n)
		var dbRef []T
		if bias {
			dbRef = make([]T, n)
		}
		Gemm(false, true, m, n, k, 1, dzNext, k, w, k, 0, daRef, n)
		ActBackward(f, m, n, dzRef, daRef, z, a, dbRef)

		da, dz := newGuarded[T](s, m*n), newGuarded[T](s, m*n)
		var db *guarded[T]
		var dbs []T
		if bias {
			db = newGuarded[T](s, n)
			dbs = db.s()
		}
		GemmActBackward(f, m, n, k, dzNext, k, w, k, da.s(), z, a, dz.s(), dbs)
		da.check(t, name+" dA")
		dz.check(t, name+" dZ")
		checkBits(t, name+": dA", da.s(), daRef)
		checkBits(t, name+": dZ", dz.s(), dzRef)
		if bias {
			db.check(t, name+" db")
			checkBits(t, name+": db", dbs, dbRef)
		}

		if f == Softmax {
			return
		}
		da2, dz2 := make([]T, m*n), make([]T, m*n)
		var db2 []T
		if bias {
			db2 = make([]T, n)
			for i := range db2 {
				db2[i] = 99 // must be overwritten, not added to
			}
		}
		e := epilogue[T]{kind: epiActBackward, f: f, n: n, z: z, a: a, da: da2, dz: dz2, db: db2}
		if gemmSplit(false, true, m, n, k, dzNext, k, w, k, da2, e) {
			checkBits(t, name+": split job: dZ", dz2, dzRef)
			if i := sameBits(db2, dbRef); bias && i >= 0 {
				t.Fatalf("%s: split job: db[%d] = %v, want %v", name, i, db2[i], dbRef[i])
			}
		} else if _, exact := shapeOf[T](m, n, k); p.parts > 1 && !exact {
			t.Fatalf("%s: not split with %d parts forced", name, p.parts)
		}
	})
}

// shapeOf returns the tile shape Gemm multiplies an untransposed-A product
// with, and whether it keeps the exact loops instead.
func shapeOf[T float32 | float64](m, n, k int) (tileShape, bool) {
	s, ok := kernelsOf[T]().shape(false, m, n, k)
	return s, !ok
}

// TestGemmSoftmaxThreads checks the softmax output layer's job at the
// MLP's batch sizes on the real pool (no forced split) with one and two
// threads: it is split by rows from softmaxSplitRows rows on, below the
// product's own threshold, and Z, A and lse keep their bits.
func TestGemmSoftmaxThreads(t *testing.T) {
	defer SetThreads(0)
	for _, m := range []int{1, 7, 15, 16, 32, 130, 512} {
		const n, k = 10, 128
		s := lcg(m)
		x, w, b := fill[float32](&s, m*k), fill[float32](&s, k*n), fill[float32](&s, n)
		var want []float32
		var wantLSE []float64
		for _, threads := range []int{1, 2, 1, 2} {
			SetThreads(threads)
			z, a, lse := make([]float32, m*n), make([]float32, m*n), make([]float64, m)
			GemmBiasSoftmax(m, n, k, x, k, w, n, b, z, a, lse)
			got := append(z, a...)
			if want == nil {
				want, wantLSE = got, append([]float64(nil), lse...)
			} else {
				checkBits(t, fmt.Sprintf("m=%d, %d threads: Z, A", m, threads), got, want)
				checkBits(t, fmt.Sprintf("m=%d, %d threads: lse", m, threads), lse, wantLSE)
			}
			e := epilogue[float32]{kind: epiBiasAct, f: Softmax, n: n, b: b, z: z, a: a, lse: lse}
			_, exact := shapeOf[float32](m, n, k)
			if split := gemmSplit(false, false, m, n, k, x, k, w, n, z, e); !exact && split != (Threads() > 1 && m >= softmaxSplitRows) {
				t.Fatalf("m=%d, %d threads: split %v", m, Threads(), split)
			}
		}
	}
}

// TestGemmEpilogueThreads checks the fused steps on the real pool (no
// forced split) with one and two threads: the same bits.
func TestGemmEpilogueThreads(t *testing.T) {
	defer SetThreads(0)
	const m, n, k = 128, 256, 784
	s := lcg(5)
	x, w, b := fill[float32](&s, m*k), fill[float32](&s, k*n), fill[float32](&s, n)
	var want []float32
	for _, threads := range []int{1, 2, 1, 2} {
		SetThreads(threads)
		z, a := make([]float32, m*n), make([]float32, m*n)
		GemmBiasAct(ReLU, m, n, k, x, k, w, n, b, z, a)
		da, dz, db := make([]float32, m*k), make([]float32, m*k), make([]float32, k)
		GemmActBackward(ReLU, m, k, n, a, n, w, n, da, x, nil, dz, db)
		got := append(append(a, dz...), db...)
		if want == nil {
			want = got
		} else if i := sameBits(got, want); i >= 0 {
			t.Fatalf("%d threads: element %d = %v, want %v", threads, i, got[i], want[i])
		}
	}
}
