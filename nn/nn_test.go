package nn

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

func TestInitializersMatchNumpy(t *testing.T) {
	raw, err := os.ReadFile("testdata/init.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Seed  uint32
		Dims  []int
		Cases map[string]struct {
			Bias   string
			Layers []struct{ W, B []string }
		}
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) != int(HeNormal) {
		t.Fatalf("golden has %d initializers; want %d", len(g.Cases), int(HeNormal))
	}
	for name, c := range g.Cases {
		wi, err := ParseInitializer(name)
		if err != nil {
			t.Fatal(err)
		}
		bi, err := ParseInitializer(c.Bias)
		if err != nil {
			t.Fatal(err)
		}
		cfg := Config{Inputs: g.Dims[0], WeightInit: wi, BiasInit: bi}
		for _, u := range g.Dims[1:] {
			cfg.Layers = append(cfg.Layers, LayerSpec{Units: u, Activation: activation.Tanh})
		}
		net, err := New[float64](cfg, rng.New(g.Seed))
		if err != nil {
			t.Fatal(err)
		}
		for l, gl := range c.Layers {
			for _, p := range []struct {
				what string
				got  *tensor.Dense[float64]
				want []string
			}{{"W", net.Layers[l].W, gl.W}, {"b", net.Layers[l].B, gl.B}} {
				for i, s := range p.want {
					want, _ := strconv.ParseFloat(s, 64)
					got := p.got.Data()[i]
					// Normal draws go through log(): bit-exact only when rng
					// uses the C library's log (-tags libmlog), else within a
					// few ulps (see package rng).
					tol := 0.0
					if !rng.ExactLog && strings.HasSuffix(name, "normal") {
						tol = 8 * math.Abs(want) * 0x1p-52
					}
					if math.Abs(got-want) > tol {
						t.Errorf("%s: layer %d %s[%d] = %.17g; want %.17g", name, l+1, p.what, i, got, want)
					}
				}
			}
		}
	}
}

// relDiff is ‖a − b‖ / ‖b‖ over two same-shaped matrices.
func relDiff(a *tensor.Dense[float32], b *tensor.Dense[float64]) float64 {
	var d, n float64
	for i, v := range b.Data() {
		e := float64(a.Data()[i]) - v
		d += e * e
		n += v * v
	}
	if n == 0 {
		return math.Sqrt(d)
	}
	return math.Sqrt(d / n)
}

func to32(n *Network[float64]) *Network[float32] {
	c := &Network[float32]{Loss: n.Loss, Reduction: n.Reduction}
	for _, l := range n.Layers {
		l32 := &Layer[float32]{W: tensor.Convert[float32](l.W), Activation: l.Activation}
		if l.B != nil {
			l32.B = tensor.Convert[float32](l.B)
		}
		c.Layers = append(c.Layers, l32)
	}
	return c
}

func TestFloat32AgreesWithFloat64(t *testing.T) {
	src := rng.New(11)
	for _, tc := range []struct {
		hidden, out activation.Kind
		lk          loss.Kind
	}{
		{activation.Sigmoid, activation.Sigmoid, loss.BinaryCrossEntropy},
		{activation.ReLU, activation.Softmax, loss.CrossEntropy},
		{activation.Tanh, activation.Identity, loss.MSE},
		{activation.LeakyReLU, activation.Tanh, loss.SSE},
		{activation.Softmax, activation.Sigmoid, loss.HalfSSE},
	} {
		name := fmt.Sprintf("%s/%s/%s", tc.hidden, tc.out, tc.lk)
		net64, err := New[float64](Config{Inputs: 6, Loss: tc.lk, BiasInit: StandardNormal, Layers: []LayerSpec{
			{Units: 8, Activation: tc.hidden}, {Units: 5, Activation: tc.hidden}, {Units: 3, Activation: tc.out},
		}}, src)
		if err != nil {
			t.Fatal(err)
		}
		net32 := to32(net64)
		X := tensor.Zeros[float64](16, 6)
		src.FillNorm(X.Data())
		y := tensor.Zeros[float64](16, 3)
		for i := 0; i < 16; i++ {
			y.Set(i, int(src.Interval(2)), 1)
		}
		c64, _ := net64.Forward(X)
		c32, err := net32.Forward(tensor.Convert[float32](X))
		if err != nil {
			t.Fatal(err)
		}
		g64, _ := net64.Backward(c64, y)
		g32, err := net32.Backward(c32, tensor.Convert[float32](y))
		if err != nil {
			t.Fatal(err)
		}
		cost64, _ := net64.Cost(c64, y)
		cost32, _ := net32.Cost(c32, tensor.Convert[float32](y))
		if d := math.Abs(cost32-cost64) / math.Abs(cost64); d > 1e-4 {
			t.Errorf("%s: cost float32 %v float64 %v (relative %.2g)", name, cost32, cost64, d)
		}
		for l := range net64.Layers {
			for _, p := range []struct {
				what string
				a    *tensor.Dense[float32]
				b    *tensor.Dense[float64]
			}{
				{"A", c32.Layers[l].A, c64.Layers[l].A},
				{"dZ", g32.Layers[l].DZ, g64.Layers[l].DZ},
				{"dW", g32.Layers[l].DW, g64.Layers[l].DW},
				{"db", g32.Layers[l].DB, g64.Layers[l].DB},
				{"dA_prev", g32.Layers[l].DAPrev, g64.Layers[l].DAPrev},
			} {
				if d := relDiff(p.a, p.b); d > 1e-4 {
					t.Errorf("%s: layer %d %s: float32 differs from float64 by %.2g relative", name, l+1, p.what, d)
				}
			}
		}
	}
}

func TestConfigErrors(t *testing.T) {
	ok := []LayerSpec{{Units: 2, Activation: activation.Sigmoid}}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Inputs: 0, Layers: ok}, "Inputs is 0, want > 0"},
		{Config{Inputs: 3}, "no layers"},
		{Config{Inputs: 3, Layers: []LayerSpec{{Units: 0}}}, "layer 1 has 0 units"},
		{Config{Inputs: 3, Layers: []LayerSpec{{Units: 2, Activation: 99}}}, "layer 1: activation(99)"},
		{Config{Inputs: 3, Layers: ok, Loss: loss.CrossEntropy}, "cross-entropy loss needs a softmax output layer, got sigmoid"},
		{Config{Inputs: 3, Layers: []LayerSpec{{Units: 1, Activation: activation.Tanh}}, Loss: loss.BinaryCrossEntropy}, "binary-cross-entropy loss needs a sigmoid output layer, got tanh"},
		{Config{Inputs: 3, Layers: ok, Loss: 42}, "loss(42)"},
	} {
		_, err := New[float64](tc.cfg, rng.New(1))
		if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v): error %v; want ErrConfig containing %q", tc.cfg, err, tc.want)
		}
	}
}

func TestShapeErrors(t *testing.T) {
	net, err := New[float32](Config{Inputs: 3, Layers: []LayerSpec{{Units: 4, Activation: activation.ReLU}, {Units: 2}}}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = net.Forward(tensor.Zeros[float32](5, 4))
	if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "input has 4 features per sample, network expects 3") {
		t.Errorf("Forward with 4 features: %v", err)
	}
	if _, err := net.Predict(tensor.Zeros[float32](5, 2)); !errors.Is(err, ErrShape) {
		t.Errorf("Predict with 2 features: %v", err)
	}
	c, err := net.Forward(tensor.Zeros[float32](5, 3))
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range []*tensor.Dense[float32]{tensor.Zeros[float32](5, 1), tensor.Zeros[float32](4, 2)} {
		if _, err := net.Backward(c, y); !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "network output is (5, 2)") {
			t.Errorf("Backward with targets %s: %v", y.Shape(), err)
		}
		if _, err := net.Cost(c, y); !errors.Is(err, ErrShape) {
			t.Errorf("Cost with targets %s: %v", y.Shape(), err)
		}
	}
	// A hand-assembled network whose layers do not chain.
	bad := &Network[float32]{Layers: []*Layer[float32]{{W: tensor.Zeros[float32](3, 4)}, {W: tensor.Zeros[float32](5, 1)}}}
	if _, err := bad.Forward(tensor.Zeros[float32](1, 3)); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "layer 2: W is (5, 1) but layer 1 has 4 units") {
		t.Errorf("unchained layers: %v", err)
	}
}

// The network's Backward and Update are one step of the XOR tutorial:
// check one step by hand against the formulas.
func TestOneStepByHand(t *testing.T) {
	W := tensor.FromRows([][]float64{{0.5}, {-0.25}})
	net := &Network[float64]{Layers: []*Layer[float64]{{W: W, B: tensor.FromRows([][]float64{{0.1}}), Activation: activation.Sigmoid}}, Loss: loss.HalfSSE, Reduction: loss.Sum}
	X := tensor.FromRows([][]float64{{1, 2}, {3, 0}})
	y := tensor.FromRows([][]float64{{1}, {0}})
	c, _ := net.Forward(X)
	g, _ := net.Backward(c, y)
	sig := func(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
	a0, a1 := sig(1*0.5+2*-0.25+0.1), sig(3*0.5+0*-0.25+0.1)
	d0, d1 := (a0-1)*a0*(1-a0), (a1-0)*a1*(1-a1)
	want := []float64{1*d0 + 3*d1, 2*d0 + 0*d1}
	for i, w := range want {
		if got := g.Layers[0].DW.Data()[i]; math.Abs(got-w) > 1e-15 {
			t.Errorf("dW[%d] = %v; want %v", i, got, w)
		}
	}
	if got := g.Layers[0].DB.At(0, 0); math.Abs(got-(d0+d1)) > 1e-15 {
		t.Errorf("db = %v; want %v", got, d0+d1)
	}
	net.Update(g, 0.5)
	if got := net.Layers[0].W.At(0, 0); math.Abs(got-(0.5-0.5*want[0])) > 1e-15 {
		t.Errorf("W after update = %v; want %v", got, 0.5-0.5*want[0])
	}
}

func TestPredictConcurrent(t *testing.T) {
	net, err := New[float32](Config{Inputs: 4, Loss: loss.CrossEntropy, Layers: []LayerSpec{{Units: 16, Activation: activation.ReLU}, {Units: 3, Activation: activation.Softmax}}}, rng.New(5))
	if err != nil {
		t.Fatal(err)
	}
	X := tensor.Zeros[float32](10, 4)
	for i := range X.Data() {
		X.Data()[i] = float32(i%7) - 3
	}
	want, _ := net.Predict(X)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Go(func() {
			for range 20 {
				got, err := net.Predict(X)
				if err != nil || !tensor.Equal(got, want) {
					errs <- fmt.Errorf("concurrent Predict: %v, equal %v", err, err == nil && tensor.Equal(got, want))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestSameSeedSameWeights(t *testing.T) {
	cfg := Config{Inputs: 5, Layers: []LayerSpec{{Units: 7, Activation: activation.ReLU}, {Units: 2, Activation: activation.Sigmoid}}, BiasInit: Uniform}
	a, _ := New[float32](cfg, rng.New(9))
	b, _ := New[float32](cfg, rng.New(9))
	c, _ := New[float32](cfg, rng.New(10))
	if !tensor.Equal(a.Layers[0].W, b.Layers[0].W) || !tensor.Equal(a.Layers[1].B, b.Layers[1].B) {
		t.Error("same seed gave different weights")
	}
	if tensor.Equal(a.Layers[0].W, c.Layers[0].W) {
		t.Error("different seeds gave the same weights")
	}
	if a.NumParams() != 5*7+7+7*2+2 {
		t.Errorf("NumParams = %d", a.NumParams())
	}
}
