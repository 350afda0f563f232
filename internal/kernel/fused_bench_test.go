package kernel

import (
	"fmt"
	"testing"
)

// mlpParams is the parameter count of the 784-256-128-10 MLP.
const mlpParams = 784*256 + 256 + 256*128 + 128 + 128*10 + 10

// updatePaths are the ways to run an update: the naive reference loop,
// the fused Go loop and the assembly (where this build has it), all on
// one thread, and the assembly split between two threads.
func updatePaths() []string {
	ps := []string{"naive", "go"}
	if asmKernels && canAVX512 {
		ps = append(ps, "avx512", "avx512-t2")
	}
	return ps
}

// usePath sets the update path for a benchmark until the returned
// function is called.
func usePath(path string) func() {
	u := useUpdate512
	useUpdate512 = path == "avx512" || path == "avx512-t2"
	SetThreads(1)
	if path == "avx512-t2" {
		SetThreads(2)
	}
	return func() { useUpdate512 = u; SetThreads(0) }
}

func reportElems(b *testing.B, n int) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
}

// BenchmarkSGD times one SGD step over the MLP's parameters.
func BenchmarkSGD(b *testing.B) {
	benchSGD[float32](b)
	benchSGD[float64](b)
}

func benchSGD[T Float](b *testing.B) {
	s := lcg(1)
	p, g, buf := fill[T](&s, mlpParams), fill[T](&s, mlpParams), fill[T](&s, mlpParams)
	for _, c := range []struct {
		name string
		c    SGDCoef[T]
	}{
		{"plain", SGDCoef[T]{NegLR: -1e-9}},
		{"momentum", SGDCoef[T]{NegLR: -1e-9, Mu: 0.9, Damp: 1, Momentum: true}},
	} {
		for _, path := range updatePaths() {
			b.Run(fmt.Sprintf("%T/%s/%s", T(0), c.name, path), func(b *testing.B) {
				defer usePath(path)()
				b.ReportAllocs()
				for b.Loop() {
					if path == "naive" {
						refSGD(p, g, buf, c.c)
					} else {
						SGD(p, g, buf, c.c)
					}
				}
				reportElems(b, mlpParams)
			})
		}
	}
}

// BenchmarkAdam times one Adam step over the MLP's parameters.
func BenchmarkAdam(b *testing.B) {
	benchAdam[float32](b)
	benchAdam[float64](b)
}

func benchAdam[T Float](b *testing.B) {
	s := lcg(1)
	p, g, m, v := fill[T](&s, mlpParams), fill[T](&s, mlpParams), fill[T](&s, mlpParams), make([]T, mlpParams)
	c := adamCoefs[T]()[0]
	c.NegStep = -1e-9
	for _, path := range updatePaths() {
		b.Run(fmt.Sprintf("%T/%s", T(0), path), func(b *testing.B) {
			defer usePath(path)()
			b.ReportAllocs()
			for b.Loop() {
				if path == "naive" {
					refAdam(p, g, m, v, nil, c)
				} else {
					Adam(p, g, m, v, nil, c)
				}
			}
			reportElems(b, mlpParams)
		})
	}
}

// BenchmarkBiasAct times the forward epilogue on a 128×256 batch beside
// its unfused reference.
func BenchmarkBiasAct(b *testing.B) {
	s := lcg(1)
	const m, n = 128, 256
	z, bias, a := fill[float32](&s, m*n), fill[float32](&s, n), make([]float32, m*n)
	for _, f := range []Act{ReLU, Sigmoid, Softmax} {
		b.Run(fmt.Sprintf("act%d/naive", f), func(b *testing.B) {
			for b.Loop() {
				refBiasAct(f, m, n, z, bias, a)
			}
			reportElems(b, m*n)
		})
		b.Run(fmt.Sprintf("act%d/fused-go", f), func(b *testing.B) {
			defer func(u bool) { useAct512 = u }(useAct512)
			useAct512 = false
			for b.Loop() {
				BiasAct(f, m, n, z, bias, a)
			}
			reportElems(b, m*n)
		})
		if f == ReLU && asmKernels && canAVX512 {
			b.Run(fmt.Sprintf("act%d/fused-avx512", f), func(b *testing.B) {
				for b.Loop() {
					BiasAct(f, m, n, z, bias, a)
				}
				reportElems(b, m*n)
			})
		}
	}
}

// BenchmarkActBackward times dZ = dA ⊙ f′(Z) with db on a 128×256 batch
// beside its unfused reference.
func BenchmarkActBackward(b *testing.B) {
	s := lcg(1)
	const m, n = 128, 256
	z, a, da := fill[float32](&s, m*n), fill[float32](&s, m*n), fill[float32](&s, m*n)
	dz, db := make([]float32, m*n), make([]float32, n)
	for _, f := range []Act{ReLU, Sigmoid} {
		b.Run(fmt.Sprintf("act%d/naive", f), func(b *testing.B) {
			for b.Loop() {
				refActBackward(f, m, n, dz, da, z, a, db)
			}
			reportElems(b, m*n)
		})
		b.Run(fmt.Sprintf("act%d/fused-go", f), func(b *testing.B) {
			defer func(u bool) { useAct512 = u }(useAct512)
			useAct512 = false
			for b.Loop() {
				ActBackward(f, m, n, dz, da, z, a, db)
			}
			reportElems(b, m*n)
		})
		if f == ReLU && asmKernels && canAVX512 {
			b.Run(fmt.Sprintf("act%d/fused-avx512", f), func(b *testing.B) {
				for b.Loop() {
					ActBackward(f, m, n, dz, da, z, a, db)
				}
				reportElems(b, m*n)
			})
		}
	}
}
