package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// benchConfig is what the bench command line says.
type benchConfig struct {
	f         *flagSet // the parsed command line
	layers    []int
	batch     int
	threads   int
	samples   int
	epochs    int
	seed      uint32
	infer     bool
	noShuffle bool
	dtype     string
	json      bool
	peak      bool
}

func defaultBenchConfig() benchConfig {
	return benchConfig{
		layers:  []int{784, 256, 128, 10},
		batch:   128,
		samples: 16384,
		epochs:  5,
		seed:    1,
		dtype:   "float32",
	}
}

// flags returns the bench flag set, writing into c; c's fields at the
// time of the call are the defaults.
func (c *benchConfig) flags(f *flagSet) {
	c.f = f
	f.Var(layersValue(&c.layers), "layers", "the layer sizes `N,N,...` from inputs to outputs; at least 2 outputs")
	f.Var(atLeast(&c.batch, 1), "batch", "samples per batch, `N` ≥ 1")
	f.Var(atLeast(&c.threads, 0), "threads", "matrix-multiply threads `N`; 0 means GOMAXPROCS (and never more than GOMAXPROCS)")
	f.Var(atLeast(&c.samples, 1), "samples", "synthetic samples `N` per epoch, at least --batch")
	f.Var(atLeast(&c.epochs, 1), "epochs", "epochs (inference: passes over the samples) `N` ≥ 2; the first is a warm-up")
	f.Var(seedValue(&c.seed), "seed", "seed `N` in 0..4294967295 for the weights, the data and the shuffling")
	f.Bool(&c.infer, "infer", "time Network.Predict over the samples in batches of --batch instead of training")
	f.Bool(&c.noShuffle, "no-shuffle", "train on the batches in a fixed order instead of reshuffling every epoch")
	f.Var(choiceValue{&c.dtype, []string{"float32", "float64"}}, "dtype", "the element type, `float32|float64`")
	f.Bool(&c.json, "json", "print the result as one JSON object")
	f.Bool(&c.peak, "peak", "also measure this machine's float32 FMA peak on the same threads and print the GEMM rate as a fraction of it")
}

func benchAbout(w io.Writer) {
	fmt.Fprint(w, `Bench trains a multilayer perceptron on synthetic data and prints how
many samples per second it trained on: the median over the epochs after
the first, which is a warm-up.

The network has ReLU hidden layers and a softmax output with
cross-entropy loss, He-uniform weights in the hidden layers,
Glorot-uniform weights in the output layer and zero biases, drawn with
--seed as nn.New draws them, and trains with plain SGD (learning rate 0.01)
through train.Fit, reshuffling the samples every epoch as real training
does (--no-shuffle keeps one order). After the weights, the same seeded
generator draws a matrix M (inputs × outputs, standard normal) and then
the inputs, uniform in [0, 1); each label is the largest element of the
centred input's image (x − 0.5)·M, so the task is learnable. The numbers
are the ones numpy's np.random.seed(seed) gives, so bench/compare_mlp.py
trains PyTorch and numpy on the same weights and data.

GEMM GFLOP/s counts the matrix multiplies one SGD step needs per sample:
forward A·W (2·in·out) and backward dW (2·in·out) for every layer, and
dA_prev (2·in·out) for every layer but the first. Work beyond that is
not counted. Biases, activations, loss and update are not counted either.

The report names the thread count the multiplies used (--threads, capped
by GOMAXPROCS). The weights digest is SHA-256 over every layer's W then b
after training, row-major, each value's bits little-endian (4 bytes for
float32, 8 for float64): runs with different --threads must print the
same digest.

With --peak, bench then measures the float32 fused multiply-add peak of
the threads it used, in the same process: each thread runs a loop of
twelve independent FMAs on registers only, in the widest vectors the
matrix multiply dispatches to (AVX-512 or AVX2; a plain Go multiply-add
loop where it runs Go), and the fastest of ten slices counts. The report
adds the peak and the GEMM rate as a percentage of it, a number that
means the same on a fast or a slow spell of a shared machine. (For
--dtype float64 the peak is still the float32 one.)

With --infer, bench times Network.Predict over the samples in batches of
--batch (--batch 1 for latency), one pass per epoch, and prints samples per
second and microseconds per batch; GEMM GFLOP/s then counts A·W only.

Examples:

	nerve bench
	nerve bench --threads 1
	nerve bench --batch 32 --layers 784,512,10 --epochs 8
	nerve bench --infer --batch 1
	nerve bench --peak
`)
}

func (c *benchConfig) run(ctx context.Context, pos []string, stdout, stderr io.Writer) error {
	var err error
	if len(pos) > 0 {
		return usagef("bench: unexpected argument %q", pos[0])
	}
	if c.epochs < 2 {
		return usagef("bench: --epochs %d: want at least 2 (one warm-up, then the timed ones)", c.epochs)
	}
	if out := c.layers[len(c.layers)-1]; out < 2 {
		return usagef("bench: --layers %s: the output layer has %d unit, want at least 2 (a softmax classifier)", layersValue(&c.layers), out)
	}
	if c.samples < c.batch {
		return usagef("bench: --samples %d is fewer than --batch %d", c.samples, c.batch)
	}
	if c.infer && c.noShuffle {
		return usagef("bench: --no-shuffle applies to training, not --infer")
	}

	restore := setThreads(c.threads)
	defer restore()

	var r *benchResult
	if c.dtype == "float64" {
		r, err = benchRun[float64](ctx, *c, stderr)
	} else {
		r, err = benchRun[float32](ctx, *c, stderr)
	}
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if c.peak {
		p := kernel.PeakGFLOPS(r.Threads, 500*time.Millisecond)
		r.PeakGFLOPS, r.PeakISA = p.GFLOPS, p.ISA
		r.PeakFraction = r.GFLOPS / p.GFLOPS
	}
	if c.json {
		writeJSONLine(stdout, r)
		return nil
	}
	fmt.Fprintln(stdout, r.String())
	return nil
}

// setThreads sets the kernel's thread count for the run and returns a
// function that puts the previous count back. The kernel does not expose
// its raw setting, only the effective count, so a previous count equal to
// GOMAXPROCS is restored as 0 (GOMAXPROCS), which is the same thing.
func setThreads(n int) (restore func()) {
	prev := tensor.Threads()
	if prev == runtime.GOMAXPROCS(0) {
		prev = 0
	}
	tensor.SetThreads(n)
	return func() { tensor.SetThreads(prev) }
}

// benchResult is what bench measured; with --json it is printed as is.
type benchResult struct {
	Mode    string    `json:"mode"` // "train" or "infer"
	Layers  []int     `json:"layers"`
	DType   string    `json:"dtype"`
	Batch   int       `json:"batch"`
	Threads int       `json:"threads"`
	Samples int       `json:"samples"`
	Shuffle bool      `json:"shuffle"`
	Seed    uint32    `json:"seed"`
	Timed   int       `json:"timed"`   // epochs or passes timed, after one warm-up
	Seconds []float64 `json:"seconds"` // every timed epoch or pass

	SamplesPerSec    float64 `json:"samples_per_sec"` // median
	MinSamplesPerSec float64 `json:"min_samples_per_sec"`
	MaxSamplesPerSec float64 `json:"max_samples_per_sec"`
	MicrosPerBatch   float64 `json:"us_per_batch"` // median pass time / batches
	FLOPsPerSample   float64 `json:"flops_per_sample"`
	GFLOPS           float64 `json:"gemm_gflops"` // FLOPsPerSample × median samples/s

	// With --peak: the float32 FMA peak of the same threads, the loop's
	// instruction set, and GFLOPS / PeakGFLOPS.
	PeakGFLOPS   float64 `json:"peak_gflops,omitempty"`
	PeakISA      string  `json:"peak_isa,omitempty"`
	PeakFraction float64 `json:"peak_fraction,omitempty"`

	Loss          *float64 `json:"loss,omitempty"` // the last epoch's training loss
	WeightsSHA256 string   `json:"weights_sha256"` // after training (train) or of the initial weights (infer)
}

// String formats r as bench's one-line report.
func (r *benchResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", layersName(r.Layers), r.DType)
	what, one := "epochs", "epoch"
	if r.Mode == "infer" {
		b.WriteString(" inference")
		what, one = "passes", "pass"
	}
	if r.Timed == 1 {
		what = one
	}
	threads := "threads"
	if r.Threads == 1 {
		threads = "thread"
	}
	fmt.Fprintf(&b, ", batch %d, %d %s: %s samples/s", r.Batch, r.Threads, threads, group(r.SamplesPerSec))
	if r.Mode == "infer" {
		fmt.Fprintf(&b, ", %.1f µs per batch", r.MicrosPerBatch)
	}
	fmt.Fprintf(&b, " (median of %d %s after 1 warm-up; min %s max %s), GEMM %.1f GFLOP/s",
		r.Timed, what, group(r.MinSamplesPerSec), group(r.MaxSamplesPerSec), r.GFLOPS)
	if r.PeakGFLOPS > 0 {
		fmt.Fprintf(&b, " = %.1f%% of the %s FMA peak %.1f GFLOP/s", 100*r.PeakFraction, r.PeakISA, r.PeakGFLOPS)
	}
	if r.Loss != nil {
		fmt.Fprintf(&b, ", final loss %.4f", *r.Loss)
	}
	fmt.Fprintf(&b, ", weights sha256:%s", r.WeightsSHA256[:16])
	return b.String()
}

// layersName writes sizes as 784-256-128-10.
func layersName(sizes []int) string {
	s := make([]string, len(sizes))
	for i, n := range sizes {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, "-")
}

// group formats x rounded to an integer with thousands separators.
func group(x float64) string {
	s := strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// benchFLOPs returns the multiply-add FLOPs per sample of one training
// step (forward A·W, backward dW, and dA_prev except at the first layer)
// or, for inference, of the forward pass.
func benchFLOPs(sizes []int, infer bool) float64 {
	var f float64
	for l := 1; l < len(sizes); l++ {
		mn := 2 * float64(sizes[l-1]) * float64(sizes[l])
		f += mn // forward: Z = A_prev·W
		if infer {
			continue
		}
		f += mn // dW = A_prevᵀ·dZ
		if l > 1 {
			f += mn // dA_prev = dZ·Wᵀ
		}
	}
	return f
}

// benchNetwork builds the benchmarked network and its synthetic data, all
// from one source seeded with seed: the weights first (as nn.New draws
// them: He uniform for the ReLU layers, Glorot uniform for the softmax),
// then M (inputs×outputs, standard normal), then X (samples×inputs,
// uniform in [0, 1)), as np.random.seed(seed); np.random.uniform(-l, l,
// (in, out)) per layer; np.random.randn(d, k); np.random.random_sample((n,
// d)) would. Y is one-hot: the largest element of (x − 0.5)·M for each
// sample x, computed in float64.
func benchNetwork[T tensor.Float](sizes []int, samples int, seed uint32) (*nn.Network[T], *tensor.Dense[T], *tensor.Dense[T], error) {
	cfg := nn.Config{Inputs: sizes[0], Loss: loss.CrossEntropy}
	for i, u := range sizes[1:] {
		act := activation.ReLU
		if i == len(sizes)-2 {
			act = activation.Softmax
		}
		cfg.Layers = append(cfg.Layers, nn.LayerSpec{Units: u, Activation: act})
	}
	src := rng.New(seed)
	net, err := nn.New[T](cfg, src)
	if err != nil {
		return nil, nil, nil, err
	}
	d, k := sizes[0], sizes[len(sizes)-1]
	M := make([]float64, d*k) // d×k
	src.FillNorm(M)
	X := tensor.Zeros[T](samples, d)
	Y := tensor.Zeros[T](samples, k)
	x := make([]float64, d)
	logits := make([]float64, k)
	for i := range samples {
		src.FillFloat64(x)
		clear(logits)
		xr := X.Row(i)
		for p, v := range x {
			xr[p] = T(v)
			v -= 0.5
			for j := range logits {
				logits[j] += v * M[p*k+j]
			}
		}
		best := 0
		for j, v := range logits {
			if v > logits[best] {
				best = j
			}
		}
		Y.Row(i)[best] = 1
	}
	return net, X, Y, nil
}

// benchRun builds the network and data and times training or inference.
func benchRun[T tensor.Float](ctx context.Context, c benchConfig, stderr io.Writer) (*benchResult, error) {
	net, X, Y, err := benchNetwork[T](c.layers, c.samples, c.seed)
	if err != nil {
		return nil, err
	}
	r := &benchResult{
		Mode: "train", Layers: c.layers, DType: c.dtype, Batch: c.batch, Threads: tensor.Threads(),
		Samples: c.samples, Shuffle: !c.noShuffle, Seed: c.seed, Timed: c.epochs - 1,
		FLOPsPerSample: benchFLOPs(c.layers, c.infer),
	}
	tty := isTerminal(stderr) && !c.json
	var times []float64
	if c.infer {
		r.Mode, r.Shuffle = "infer", false
		if times, err = benchInfer(ctx, net, X, c, stderr, tty); err != nil {
			return nil, err
		}
	} else {
		opt, err := optim.NewSGD[T](optim.SGD{LR: 0.01})
		if err != nil {
			return nil, err
		}
		last := time.Now()
		hist, err := train.Fit(ctx, net, X, Y, train.Config[T]{
			Epochs: c.epochs, BatchSize: c.batch, Optimizer: opt, Seed: c.seed, NoShuffle: c.noShuffle,
			OnEpoch: func(e train.EpochEnd) error {
				now := time.Now()
				s := now.Sub(last).Seconds()
				last = now
				times = append(times, s)
				if tty {
					fmt.Fprintf(stderr, "epoch %d/%d: %s samples/s, loss %.4f\n", e.Epoch, e.Epochs, group(float64(c.samples)/s), e.Loss)
				}
				return nil
			},
		})
		if err != nil {
			return nil, err
		}
		loss := hist.Last().Loss
		r.Loss = &loss
	}
	times = times[1:] // the warm-up
	r.Seconds = times
	rates := make([]float64, len(times))
	for i, s := range times {
		rates[i] = float64(c.samples) / s
	}
	slices.Sort(rates)
	r.SamplesPerSec = median(rates)
	r.MinSamplesPerSec, r.MaxSamplesPerSec = rates[0], rates[len(rates)-1]
	batches := (c.samples + c.batch - 1) / c.batch
	r.MicrosPerBatch = float64(c.samples) / r.SamplesPerSec / float64(batches) * 1e6
	r.GFLOPS = r.FLOPsPerSample * r.SamplesPerSec / 1e9
	r.WeightsSHA256 = weightsDigest(net)
	return r, nil
}

// benchInfer times c.epochs passes of net.Predict over X in batches of
// c.batch and returns each pass's seconds.
func benchInfer[T tensor.Float](ctx context.Context, net *nn.Network[T], X *tensor.Dense[T], c benchConfig, stderr io.Writer, tty bool) ([]float64, error) {
	n := X.Rows()
	batches := make([]*tensor.Dense[T], 0, (n+c.batch-1)/c.batch)
	for lo := 0; lo < n; lo += c.batch {
		batches = append(batches, X.Slice(lo, min(lo+c.batch, n)))
	}
	var times []float64
	for e := range c.epochs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start := time.Now()
		for _, b := range batches {
			if _, err := net.Predict(b); err != nil {
				return nil, err
			}
		}
		s := time.Since(start).Seconds()
		times = append(times, s)
		if tty {
			fmt.Fprintf(stderr, "pass %d/%d: %s samples/s\n", e+1, c.epochs, group(float64(n)/s))
		}
	}
	return times, nil
}

// median returns the median of the sorted values xs (the mean of the two
// middle ones for an even count).
func median(xs []float64) float64 {
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// weightsDigest returns the hex SHA-256 of every layer's W then b,
// row-major, each value's IEEE bits little-endian.
func weightsDigest[T tensor.Float](net *nn.Network[T]) string {
	h := sha256.New()
	var buf [8]byte
	for _, l := range net.Layers {
		for _, m := range []*tensor.Dense[T]{l.W, l.B} {
			if m == nil {
				continue
			}
			for _, v := range m.Data() {
				switch x := any(v).(type) {
				case float32:
					binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(x))
					h.Write(buf[:4])
				case float64:
					binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
					h.Write(buf[:])
				}
			}
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
