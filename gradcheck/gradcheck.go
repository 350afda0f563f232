// Package gradcheck compares a network's backpropagated gradients with
// central finite differences, the standard test that Backward is right.
//
// For every parameter θ it perturbs one value at a time and evaluates the
// fourth-order central difference
//
//	numeric = (L(θ−2ε) − 8·L(θ−ε) + 8·L(θ+ε) − L(θ+2ε)) / 12ε
//
// then reports, per parameter tensor, the relative error
// ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖). The two-point formula
// (L(θ+ε) − L(θ−ε))/2ε has a truncation error of order ε², which forces ε
// so small that rounding in L dominates for tensors with small gradients
// (deep sigmoid or softmax stacks); the four-point formula's error is of
// order ε⁴, so ε = 1e-3 keeps both far below the 1e-6 threshold. In
// float64 a correct gradient gives errors around 1e-9 or less; a wrong one
// gives errors near 1.
//
// Finite differences are meaningless across a kink: for ReLU-family
// layers, choose inputs whose pre-activations are not within a few ε of 0.
package gradcheck

import (
	"fmt"
	"math"
	"strings"

	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

// DefaultEpsilon is the finite-difference step Check uses when given 0.
const DefaultEpsilon = 1e-3

// Threshold is the relative error below which a gradient counts as right.
const Threshold = 1e-6

// ZeroTol is the norm below which a numeric gradient counts as zero when
// the analytic gradient is exactly zero (a dead ReLU unit, a softmax with
// one output): the relative error of two zeros is reported as 0, not as
// the 1 that rounding noise in L would give.
const ZeroTol = 1e-9

// Result is the comparison for one tensor.
type Result struct {
	Layer    int     // 1-based layer number; 0 for the input X
	Param    string  // "W", "b" or "X"
	Shape    string  // e.g. "(3, 4)"
	RelErr   float64 // ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖); 0 if both are 0 (see ZeroTol)
	MaxAbs   float64 // largest |analytic − numeric| over the elements
	Analytic float64 // ‖analytic‖₂
}

// Report holds the results of one check, output layer last.
type Report struct {
	Results []Result
}

// MaxRelErr returns the largest relative error in the report.
func (r Report) MaxRelErr() float64 {
	m := 0.0
	for _, x := range r.Results {
		m = math.Max(m, x.RelErr)
	}
	return m
}

// OK reports whether every relative error is below threshold.
func (r Report) OK(threshold float64) bool { return r.MaxRelErr() < threshold }

// String formats the report as an aligned table.
func (r Report) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-6s %-5s %-10s %-12s %-12s %s\n", "layer", "param", "shape", "rel. error", "max |diff|", "‖grad‖")
	for _, x := range r.Results {
		fmt.Fprintf(&sb, "%-6d %-5s %-10s %-12.3e %-12.3e %.3e\n", x.Layer, x.Param, x.Shape, x.RelErr, x.MaxAbs, x.Analytic)
	}
	return sb.String()
}

// Check runs Forward and Backward on (X, y) and compares every weight,
// bias and input gradient with central differences of Cost, using step
// eps (DefaultEpsilon if 0). It works on a copy: net is not modified.
// Errors from Forward, Cost or Backward (shape mismatches) are returned.
func Check(net *nn.Network[float64], X, y *tensor.Dense[float64], eps float64) (Report, error) {
	return CheckWeighted(net, X, y, nil, eps)
}

// CheckWeighted is Check for the loss with sample weights w (see
// nn.Network.CostWeighted): it compares BackwardWeighted's gradients
// with central differences of CostWeighted. A nil w is Check. Invalid
// weights are CostWeighted's errors.
func CheckWeighted(net *nn.Network[float64], X, y *tensor.Dense[float64], w []float64, eps float64) (Report, error) {
	if eps == 0 {
		eps = DefaultEpsilon
	}
	work := net.Clone()
	x := X.Clone()
	cache, err := work.Forward(x)
	if err != nil {
		return Report{}, err
	}
	grads, err := work.BackwardWeighted(cache, y, w)
	if err != nil {
		return Report{}, err
	}
	cost := func() float64 {
		c, err := work.Forward(x)
		if err != nil {
			panic(err) // shapes were checked above and do not change
		}
		v, err := work.CostWeighted(c, y, w)
		if err != nil {
			panic(err)
		}
		return v
	}
	var rep Report
	rep.Results = append(rep.Results, compare(0, "X", x, grads.Layers[0].DAPrev, eps, cost))
	for i, l := range work.Layers {
		rep.Results = append(rep.Results, compare(i+1, "W", l.W, grads.Layers[i].DW, eps, cost))
		if l.B != nil {
			rep.Results = append(rep.Results, compare(i+1, "b", l.B, grads.Layers[i].DB, eps, cost))
		}
	}
	return rep, nil
}

// compare perturbs each element of p in place (restoring it afterwards)
// and measures the central difference of cost against grad.
func compare(layer int, name string, p, grad *tensor.Dense[float64], eps float64, cost func() float64) Result {
	pd, gd := p.Data(), grad.Data()
	var diff2, a2, n2, maxAbs float64
	for i := range pd {
		orig := pd[i]
		at := func(h float64) float64 {
			pd[i] = orig + h
			return cost()
		}
		num := (at(-2*eps) - 8*at(-eps) + 8*at(eps) - at(2*eps)) / (12 * eps)
		pd[i] = orig
		d := gd[i] - num
		diff2 += d * d
		a2 += gd[i] * gd[i]
		n2 += num * num
		maxAbs = math.Max(maxAbs, math.Abs(d))
	}
	r := Result{Layer: layer, Param: name, Shape: p.Shape(), MaxAbs: maxAbs, Analytic: math.Sqrt(a2)}
	if a2 == 0 && math.Sqrt(n2) < ZeroTol {
		return r // both zero up to rounding in L, e.g. a dead ReLU unit
	}
	if den := math.Sqrt(a2) + math.Sqrt(n2); den > 0 {
		r.RelErr = math.Sqrt(diff2) / den
	}
	return r
}
