package kernel

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkStepPhases times the phase of the MLP's training step that
// runs as one job, every dW and its update (784-256-128-10, float32,
// 2 threads), against the same work as one job per product and per
// parameter (the way the step ran before GemmThen), both in every
// iteration, in
// alternating order. It reports the median over iterations of the ratio
// one-job/per-call time ("ratio"; below 1: the one-job phase is faster):
// a paired figure that a busy machine disturbs far less than two separate
// timings.
func BenchmarkStepPhases(b *testing.B) {
	defer SetThreads(0)
	SetThreads(2)
	for _, m := range []int{32, 128, 512} {
		p := newMLPPhases(m)
		for _, ph := range []struct {
			name      string
			job, call func()
		}{
			{"dW+sgd", p.dWJob, p.dWCalls},
		} {
			b.Run(fmt.Sprintf("%s/batch%d", ph.name, m), func(b *testing.B) {
				pairedRatio(b, ph.job, ph.call)
			})
		}
	}
}

// pairedRatio runs job and call in every iteration, in alternating order,
// and reports the median over iterations of the ratio job/call time
// ("ratio"; below 1: job is faster).
func pairedRatio(b *testing.B, job, call func()) {
	var ratios []float64
	i := 0
	for b.Loop() {
		first, second := job, call
		if i%2 == 1 {
			first, second = second, first
		}
		t0 := time.Now()
		first()
		t1 := time.Now()
		second()
		t2 := time.Now()
		r := float64(t1.Sub(t0)) / float64(t2.Sub(t1))
		if i%2 == 1 {
			r = 1 / r
		}
		ratios = append(ratios, r)
		i++
	}
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "ratio")
}

// BenchmarkSoftmaxSplit times the MLP's forward pass (784-256-128-10,
// float32, 2 threads: two ReLU layers, then the softmax layer with each
// row's log-sum-exp) with the softmax layer's job split by rows between
// the threads against the same pass with that job on one thread, paired
// as in BenchmarkStepPhases ("ratio" below 1: splitting is faster). The
// whole pass is timed, so that the hand-off is measured as training
// meets it, right after the layer below's job. It is what
// softmaxSplitRows was chosen from.
func BenchmarkSoftmaxSplit(b *testing.B) {
	defer SetThreads(0)
	defer func(r int) { softmaxSplitRows = r }(softmaxSplitRows)
	SetThreads(2)
	dims := []int{784, 256, 128, 10}
	for _, m := range []int{8, 16, 32, 64, 128, 256} {
		s := lcg(m)
		a := [][]float32{fill[float32](&s, m*dims[0])}
		var w, bias, z [][]float32
		for l := range 3 {
			w = append(w, fill[float32](&s, dims[l]*dims[l+1]))
			bias = append(bias, fill[float32](&s, dims[l+1]))
			z = append(z, make([]float32, m*dims[l+1]))
			a = append(a, make([]float32, m*dims[l+1]))
		}
		lse := make([]float64, m)
		forward := func(rows int) func() {
			return func() {
				softmaxSplitRows = rows
				for l := range 2 {
					GemmBiasAct(ReLU, m, dims[l+1], dims[l], a[l], dims[l], w[l], dims[l+1], bias[l], z[l], a[l+1])
				}
				GemmBiasSoftmax(m, 10, 128, a[2], 128, w[2], 10, bias[2], z[2], a[3], lse)
			}
		}
		b.Run(fmt.Sprintf("batch%d", m), func(b *testing.B) {
			pairedRatio(b, forward(1), forward(1<<30))
		})
	}
}

// mlpPhases holds the operands of one training step of the MLP.
type mlpPhases struct {
	m     int
	w     [][]float32 // W of each layer
	dz    [][]float32 // dZ of each layer
	prods []Product[float32]
	sgd   SGDCoef[float32]
}

func newMLPPhases(m int) *mlpPhases {
	s := lcg(1)
	dims := []int{784, 256, 128, 10}
	p := &mlpPhases{m: m, sgd: SGDCoef[float32]{NegLR: -1e-9}}
	var aPrev [][]float32 // A_prev of each layer
	for l := range 3 {
		p.w = append(p.w, fill[float32](&s, dims[l]*dims[l+1]))
		aPrev = append(aPrev, fill[float32](&s, m*dims[l]))
		p.dz = append(p.dz, fill[float32](&s, m*dims[l+1]))
	}
	for l := range 3 {
		in, out := dims[l], dims[l+1]
		p.prods = append(p.prods, Product[float32]{true, false, in, out, m, aPrev[l], in, p.dz[l], out, make([]float32, in*out)})
	}
	return p
}

func (p *mlpPhases) dWJob() {
	GemmThen(p.prods, func(i, lo, hi int) {
		SGDSerial(p.w[i][lo:hi], p.prods[i].C[lo:hi], nil, p.sgd)
	})
}

func (p *mlpPhases) dWCalls() {
	for _, q := range p.prods {
		Gemm(q.TransA, q.TransB, q.M, q.N, q.K, 1, q.A, q.LDA, q.B, q.LDB, 0, q.C, q.N)
	}
	for i, q := range p.prods {
		SGD(p.w[i], q.C, nil, p.sgd)
	}
}
