package nn

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/rng"
)

// Bad sample weights are errors naming the sample, from every weighted
// method, and change nothing.
func TestSampleWeightErrors(t *testing.T) {
	net, err := New[float64](Config{Inputs: 3, Loss: loss.CrossEntropy, Layers: []LayerSpec{{Units: 4, Activation: activation.Tanh}, {Units: 2, Activation: activation.Softmax}}}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	X, Y := batch(net, 3, 1)
	c, err := net.Forward(X)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		w     []float64
		want  string
		shape bool
	}{
		{[]float64{1, -1, 1}, "sample 2 has weight -1", false},
		{[]float64{1, 1, math.NaN()}, "sample 3 has weight NaN", false},
		{[]float64{1, 1}, "2 weights for 3 samples", true},
	} {
		var g Gradients[float64]
		_, costErr := net.CostWeighted(c, Y, tc.w)
		_, _, deltaErr := net.OutputDeltaWeighted(c, Y, tc.w)
		_, backErr := net.BackwardWeighted(c, Y, tc.w)
		intoErr := net.BackwardIntoWeighted(&g, c, Y, tc.w)
		for _, err := range []error{costErr, deltaErr, backErr, intoErr} {
			if !errors.Is(err, loss.ErrWeight) || errors.Is(err, ErrShape) != tc.shape || !strings.Contains(fmt.Sprint(err), tc.want) {
				t.Errorf("weights %v: %v; want a loss.ErrWeight (ErrShape %v) naming %q", tc.w, err, tc.shape, tc.want)
			}
		}
		if g.Layers != nil {
			t.Errorf("weights %v: BackwardIntoWeighted filled the gradients", tc.w)
		}
	}
}
