package main

import (
	"encoding/json"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

// benchJSON runs nerve bench with args and --json and decodes its result.
func benchJSON(t *testing.T, args ...string) benchResult {
	t.Helper()
	args = append([]string{"bench", "--json"}, args...)
	stdout, stderr, code := runCase(t, args...)
	if code != 0 {
		t.Fatalf("nerve %s: exit status %d; want 0 (stderr %q)", strings.Join(args, " "), code, stderr)
	}
	var r benchResult
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("nerve %s: stdout %q: %v", strings.Join(args, " "), stdout, err)
	}
	return r
}

// tinyBench is a network and data small enough to train in milliseconds.
var tinyBench = []string{"--layers", "20,16,4", "--samples", "256", "--batch", "32", "--epochs", "3"}

var benchLine = regexp.MustCompile(`^20-16-4 (float32|float64)( inference)?, batch 32, (\d+) threads?: ([\d,]+) samples/s(, [\d.]+ µs per batch)? ` +
	`\(median of 2 (epochs|passes) after 1 warm-up; min ([\d,]+) max ([\d,]+)\), GEMM [\d.]+ GFLOP/s( = [\d.]+% of the (avx512|avx2|go) FMA peak [\d.]+ GFLOP/s)?(, final loss [\d.]+)?, weights sha256:[0-9a-f]{16}\n$`)

func TestBenchOutput(t *testing.T) {
	tests := []struct {
		args      []string
		dtype     string
		infer     bool
		wantLoss  bool
		wantBatch bool // µs per batch
	}{
		{nil, "float32", false, true, false},
		{[]string{"--dtype", "float64", "--no-shuffle"}, "float64", false, true, false},
		{[]string{"--infer"}, "float32", true, false, true},
		{[]string{"--infer", "--dtype", "float64"}, "float64", true, false, true},
		{[]string{"--peak"}, "float32", false, true, false},
	}
	for _, tt := range tests {
		args := append(append([]string{"bench"}, tinyBench...), tt.args...)
		stdout, stderr, code := runCase(t, args...)
		name := "nerve " + strings.Join(args, " ")
		if code != 0 || stderr != "" {
			t.Errorf("%s: exit status %d, stderr %q; want 0 and nothing", name, code, stderr)
			continue
		}
		m := benchLine.FindStringSubmatch(stdout)
		if m == nil {
			t.Errorf("%s: stdout %q does not match %s", name, stdout, benchLine)
			continue
		}
		if m[1] != tt.dtype || (m[2] != "") != tt.infer || (m[5] != "") != tt.wantBatch || (m[11] != "") != tt.wantLoss || (m[9] != "") != slices.Contains(tt.args, "--peak") {
			t.Errorf("%s: stdout %q; want dtype %s, inference %v, µs per batch %v, loss %v", name, stdout, tt.dtype, tt.infer, tt.wantBatch, tt.wantLoss)
		}
		if m[3] != "1" && m[3] != "2" && runtime.GOMAXPROCS(0) <= 2 {
			t.Errorf("%s: %s threads; want at most GOMAXPROCS = %d", name, m[3], runtime.GOMAXPROCS(0))
		}
	}
}

func TestBenchJSON(t *testing.T) {
	r := benchJSON(t, tinyBench...)
	if r.Mode != "train" || !slices.Equal(r.Layers, []int{20, 16, 4}) || r.DType != "float32" || r.Batch != 32 ||
		r.Samples != 256 || !r.Shuffle || r.Seed != 1 || r.Timed != 2 || len(r.Seconds) != 2 {
		t.Errorf("result %+v; want the settings given", r)
	}
	// 20·16 + 16·4 multiply-adds forward, the same for dW, 16·4 for the
	// second layer's dA_prev; 2 FLOPs each.
	if want := 2.0 * (3*16*4 + 2*20*16); r.FLOPsPerSample != want {
		t.Errorf("FLOPs per sample %v; want %v", r.FLOPsPerSample, want)
	}
	if !(r.MinSamplesPerSec <= r.SamplesPerSec && r.SamplesPerSec <= r.MaxSamplesPerSec && r.MinSamplesPerSec > 0) {
		t.Errorf("samples/s median %v, min %v, max %v; want 0 < min ≤ median ≤ max", r.SamplesPerSec, r.MinSamplesPerSec, r.MaxSamplesPerSec)
	}
	if got, want := r.GFLOPS, r.FLOPsPerSample*r.SamplesPerSec/1e9; math.Abs(got-want) > 1e-9*want {
		t.Errorf("GFLOP/s %v; want FLOPs per sample × samples/s = %v", got, want)
	}
	if r.Loss == nil || !(*r.Loss > 0 && *r.Loss < 3) || len(r.WeightsSHA256) != 64 {
		t.Errorf("loss %v, digest %q; want a loss in (0, 3) and 64 hex digits", r.Loss, r.WeightsSHA256)
	}
	inf := benchJSON(t, append(tinyBench, "--infer", "--batch", "1")...)
	if inf.Mode != "infer" || inf.Loss != nil || inf.Batch != 1 || inf.FLOPsPerSample != 2*(20*16+16*4) {
		t.Errorf("--infer result %+v; want mode infer, no loss, batch 1, forward FLOPs only", inf)
	}
	if want := 1e6 / inf.SamplesPerSec; math.Abs(inf.MicrosPerBatch-want) > 1e-9*want {
		t.Errorf("--infer --batch 1: %v µs per batch; want 1e6 / samples/s = %v", inf.MicrosPerBatch, want)
	}
}

// TestBenchPeak checks --peak's fields: a positive peak of a named loop,
// and the GEMM rate divided by it.
func TestBenchPeak(t *testing.T) {
	r := benchJSON(t, append(tinyBench, "--peak")...)
	if !(r.PeakGFLOPS > 0) || r.PeakISA == "" {
		t.Fatalf("--peak: peak %v GFLOP/s, loop %q; want a positive rate and a name", r.PeakGFLOPS, r.PeakISA)
	}
	if want := r.GFLOPS / r.PeakGFLOPS; math.Abs(r.PeakFraction-want) > 1e-12*want {
		t.Errorf("--peak: fraction %v; want GEMM GFLOP/s / peak = %v", r.PeakFraction, want)
	}
	if r := benchJSON(t, tinyBench...); r.PeakGFLOPS != 0 || r.PeakISA != "" {
		t.Errorf("without --peak: peak %v, %q; want none", r.PeakGFLOPS, r.PeakISA)
	}
}

func TestBenchFLOPs(t *testing.T) {
	sizes := []int{784, 256, 128, 10}
	// forward 2·(784·256 + 256·128 + 128·10) = 469504, dW the same,
	// dA_prev 2·(256·128 + 128·10) = 68096.
	if got := benchFLOPs(sizes, false); got != 1007104 {
		t.Errorf("training FLOPs per sample %v; want 1007104", got)
	}
	if got := benchFLOPs(sizes, true); got != 469504 {
		t.Errorf("inference FLOPs per sample %v; want 469504", got)
	}
}

// TestBenchThreadsBitIdentical is the acceptance check that training
// gives bit-identical weights whatever the thread count, on shapes large
// enough that the matrix multiplies are split between threads.
func TestBenchThreadsBitIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	args := []string{"--layers", "784,256,128,10", "--batch", "128", "--samples", "512", "--epochs", "2"}
	one := benchJSON(t, append(args, "--threads", "1")...)
	two := benchJSON(t, append(args, "--threads", "2")...)
	if one.Threads != 1 || two.Threads != 2 {
		t.Fatalf("kernel threads %d and %d; want 1 and 2", one.Threads, two.Threads)
	}
	if one.WeightsSHA256 != two.WeightsSHA256 || *one.Loss != *two.Loss {
		t.Errorf("--threads 1: weights %s, loss %v; --threads 2: weights %s, loss %v; want the same", one.WeightsSHA256, *one.Loss, two.WeightsSHA256, *two.Loss)
	}
	other := benchJSON(t, append(args, "--threads", "2", "--seed", "2")...)
	if other.WeightsSHA256 == two.WeightsSHA256 {
		t.Errorf("--seed 1 and --seed 2 both give weights %s; want different", two.WeightsSHA256)
	}
}

func TestBenchRestoresThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	defer tensor.SetThreads(0)
	tensor.SetThreads(1)
	if r := benchJSON(t, append(tinyBench, "--threads", "2")...); r.Threads != 2 {
		t.Errorf("--threads 2 ran with %d threads", r.Threads)
	}
	if got := tensor.Threads(); got != 1 {
		t.Errorf("after nerve bench --threads 2: tensor.Threads() = %d; want 1 as before", got)
	}
	tensor.SetThreads(0)
	benchJSON(t, append(tinyBench, "--threads", "1")...)
	if got, want := tensor.Threads(), runtime.GOMAXPROCS(0); got != want {
		t.Errorf("after nerve bench --threads 1: tensor.Threads() = %d; want GOMAXPROCS = %d as before", got, want)
	}
}

// TestBenchData checks the synthetic data against numpy's: the numbers
// come from
//
//	bench/compare_mlp.py --layers 20,16,4 --samples 256 --batch 32 --check
func TestBenchData(t *testing.T) {
	net, X, Y, err := benchNetwork[float64]([]int{20, 16, 4}, 256, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := X.Row(0)[:3], []float64{0.426474788501396, 0.2473960366023854, 0.37129376127905445}; !slices.Equal(got, want) {
		t.Errorf("X[0, :3] = %v; want %v", got, want)
	}
	var sum float64
	for _, v := range X.Data() {
		sum += v
	}
	if want := 2561.753002157284; math.Abs(sum-want) > 1e-9 {
		t.Errorf("sum of X = %v; want %v", sum, want)
	}
	if got, want := net.Layers[0].W.Row(0)[:2], []float64{-0.09089783960191561, 0.241353390058338}; !slices.Equal(got, want) {
		t.Errorf("W1[0, :2] = %v; want %v", got, want)
	}
	counts := make([]int, 4)
	var labels []int
	for i := range Y.Rows() {
		j := slices.Index(Y.Row(i), 1)
		counts[j]++
		if i < 8 {
			labels = append(labels, j)
		}
	}
	if want := []int{0, 0, 3, 3, 1, 3, 3, 3}; !slices.Equal(labels, want) {
		t.Errorf("labels[:8] = %v; want %v", labels, want)
	}
	if want := []int{70, 56, 53, 77}; !slices.Equal(counts, want) {
		t.Errorf("label counts %v; want %v", counts, want)
	}
}

func TestBenchUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want []string // substrings of the one stderr line
	}{
		{[]string{"--batch", "0"}, []string{"--batch", `"0"`}},
		{[]string{"--batch", "x"}, []string{"--batch"}},
		{[]string{"--threads", "-1"}, []string{"--threads", `"-1"`}},
		{[]string{"--samples", "0"}, []string{"--samples"}},
		{[]string{"--samples", "100", "--batch", "128"}, []string{"--samples 100", "--batch 128"}},
		{[]string{"--epochs", "1"}, []string{"--epochs 1", "at least 2"}},
		{[]string{"--epochs", "0"}, []string{"--epochs"}},
		{[]string{"--seed", "-1"}, []string{"--seed"}},
		{[]string{"--layers", "784"}, []string{"--layers", "at least 2"}},
		{[]string{"--layers", "784,0,10"}, []string{"--layers", "element 2"}},
		{[]string{"--layers", "784,1"}, []string{"--layers", "output layer"}},
		{[]string{"--dtype", "int8"}, []string{"--dtype", `"int8"`, "float32"}},
		{[]string{"--infer", "--no-shuffle"}, []string{"--no-shuffle", "--infer"}},
		{[]string{"--bogus"}, []string{"bench:", "-bogus"}},
		{[]string{"extra"}, []string{"bench:", `"extra"`}},
	}
	for _, tt := range tests {
		args := append([]string{"bench"}, tt.args...)
		stdout, stderr, code := runCase(t, args...)
		name := "nerve " + strings.Join(args, " ")
		if code != 2 || stdout != "" {
			t.Errorf("%s: exit status %d, stdout %q; want 2 and nothing", name, code, stdout)
		}
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "nerve: ") {
			t.Errorf("%s: stderr %q; want one line starting \"nerve: \"", name, stderr)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(lines[0], w) {
				t.Errorf("%s: stderr %q; want it to contain %q", name, lines[0], w)
			}
		}
	}
}

func TestBenchHelp(t *testing.T) {
	stdout, _, code := runCase(t, "help", "bench")
	if code != 0 {
		t.Fatalf("nerve help bench: exit status %d", code)
	}
	for _, w := range []string{"nerve bench [flags]", "--layers N,N,...", "--threads N", "--infer", "--dtype", "(default 784,256,128,10)", "(default 128)", "(default 16384)", "(default 5)"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("nerve help bench does not contain %q:\n%s", w, stdout)
		}
	}
}

func TestGroup(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{{0, "0"}, {999.4, "999"}, {1000, "1,000"}, {312456.2, "312,456"}, {1234567, "1,234,567"}, {-1234, "-1,234"}} {
		if got := group(tt.x); got != tt.want {
			t.Errorf("group(%v) = %q; want %q", tt.x, got, tt.want)
		}
	}
}
