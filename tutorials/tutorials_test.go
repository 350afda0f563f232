package tutorials

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/tensor"
)

// golden reads a numpy reference output: lines "KEY INDEX VALUE".
func golden(t *testing.T, name string) map[string][]float64 {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 3 {
			t.Fatalf("%s: bad line %q", name, sc.Text())
		}
		v, err := strconv.ParseFloat(fs[2], 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[fs[0]] = append(out[fs[0]], v)
	}
	return out
}

// seeds are the seeds the numpy outputs in testdata were made for.
var seeds = []uint32{1, 2, 3, 42}

// tol is the relative tolerance against numpy: its np.dot goes through
// OpenBLAS, whose fused multiply-adds round differently from Go's loops
// in the last bits (about 1e-14 relative over a whole run).
const tol = 1e-9

func closeTo(got, want float64) bool {
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1e-300)
}

func compare(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values; want %d", what, len(got), len(want))
	}
	for i := range want {
		worstRel = math.Max(worstRel, math.Abs(got[i]-want[i])/math.Abs(want[i]))
		if !closeTo(got[i], want[i]) {
			t.Errorf("%s[%d] = %.17g; want %.17g (numpy)", what, i, got[i], want[i])
		}
	}
}

func col(m *tensor.Dense[float64]) []float64 { return append([]float64(nil), m.Data()...) }

// The numbers the issue quotes from the original tutorials, seed 1, %.12g.
func TestPublishedNumbers(t *testing.T) {
	sl, err := SingleLayer(context.Background(), 1, 10000)
	if err != nil {
		t.Fatal(err)
	}
	xor, err := XOR(context.Background(), 1, 60000)
	if err != nil {
		t.Fatal(err)
	}
	hl, err := HiddenLayer(context.Background(), 1, 5000, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		got  []float64
		want string
	}{
		{"single-layer output", col(sl.Output), "0.00966449168797 0.00786505967131 0.993588980497 0.992119573219"},
		{"xor errors", xor.Trace, "0.496410031903 0.00858452565325 0.00578945986251 0.00462917677677 0.00395876528027 0.00351012256786"},
		{"hidden-layer output", col(hl.Output), "0.980179964563 0.971195834001 0.050330967766"},
	} {
		var s []string
		for _, v := range tt.got {
			s = append(s, fmt.Sprintf("%.12g", v))
		}
		if got := strings.Join(s, " "); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestAgainstNumpy(t *testing.T) {
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			g := golden(t, fmt.Sprintf("single_layer_seed%d.txt", seed))
			r, err := SingleLayer(context.Background(), seed, 10000)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, "single-layer output", col(r.Output), g["output"])

			g = golden(t, fmt.Sprintf("xor_seed%d.txt", seed))
			r, err = XOR(context.Background(), seed, 60000)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, "xor error", r.Trace, g["error"])
			compare(t, "xor output", col(r.Output), g["output"])

			for _, sgd := range []bool{false, true} {
				name := "hidden_layer"
				if sgd {
					name += "_sgd"
				}
				g = golden(t, fmt.Sprintf("%s_seed%d.txt", name, seed))
				r, err = HiddenLayer(context.Background(), seed, 5000, sgd)
				if err != nil {
					t.Fatal(err)
				}
				compare(t, name+" output", col(r.Output), g["output"])
			}

			g = golden(t, fmt.Sprintf("sse_seed%d.txt", seed))
			r, err = SSE(context.Background(), seed, 1500)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, "sse loss", r.Trace, g["loss"])
			compare(t, "sse output", col(r.Output), g["output"])

			g = golden(t, fmt.Sprintf("l_layer_seed%d.txt", seed))
			X, Y, err := Planar()
			if err != nil {
				t.Fatal(err)
			}
			ll, err := LLayerModel(context.Background(), X, Y, LLayerDefaults.Layers, LLayerDefaults.LR, 2500, activation.ReLU, seed)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, "l-layer cost", ll.Costs, g["cost"])
			if ll.Accuracy != g["accuracy"][0] {
				t.Errorf("l-layer accuracy %v; want %v", ll.Accuracy, g["accuracy"][0])
			}
		})
	}
}

var worstRel float64

func TestMain(m *testing.M) {
	code := m.Run()
	if testing.Verbose() {
		fmt.Printf("largest relative difference from numpy: %.3g\n", worstRel)
	}
	os.Exit(code)
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tu := range All() {
		if err := tu.Run(ctx, io.Discard, Options{Seed: 1}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v; want context.Canceled", tu.Name, err)
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	X, Y, err := Planar()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		layers []int
		hidden activation.Kind
		want   string
	}{
		{[]int{2}, activation.ReLU, "want at least 2 sizes"},
		{[]int{3, 4, 1}, activation.ReLU, "the first 2 (the features) and the last 1"},
		{[]int{2, 4, 2}, activation.ReLU, "the last 1"},
		{[]int{2, 0, 1}, activation.ReLU, "layer 1 has 0 units"},
		{[]int{2, 4, 1}, activation.Tanh, "hidden activation tanh: want relu or sigmoid"},
	} {
		_, err := LLayerModel(ctx, X, Y, tc.layers, 0.05, 10, tc.hidden, 1)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("layers %v hidden %s: error %v; want it to contain %q", tc.layers, tc.hidden, err, tc.want)
		}
	}
	if _, err := LLayerModel(ctx, X, Y, []int{2, 8, 1}, 50, 200, activation.ReLU, 1); err == nil || !strings.Contains(err.Error(), "learning rate 50 is too high") {
		t.Errorf("divergent learning rate: %v", err)
	}
	tu, _ := Lookup("xor")
	if err := tu.Run(ctx, io.Discard, Options{Iterations: -1}); err == nil || !strings.Contains(err.Error(), "iterations is -1") {
		t.Errorf("negative iterations: %v", err)
	}
	if _, err := Lookup("nope"); err == nil || !strings.Contains(err.Error(), `unknown tutorial "nope" (want one of single-layer, xor`) {
		t.Errorf("Lookup(nope): %v", err)
	}
}
