package data

import (
	"fmt"
	"math"

	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// Spiral returns a two-feature classification problem that no linear
// model solves: the interleaved arms of a spiral, one per class, with
// perClass points each, labelled "0", "1" … Point i of arm k lies at
// radius r = (i+1)/perClass and angle θ = 2πk/classes + 4r, plus Gaussian
// noise of standard deviation noise·r on θ. The draws come from
// rng.New(seed), so a seed always gives the same points. It panics if
// perClass < 1 or classes < 2.
func Spiral(perClass, classes int, noise float64, seed uint32) *Dataset {
	if perClass < 1 || classes < 2 {
		panic(fmt.Sprintf("data: Spiral(%d, %d): want at least 1 point per class and 2 classes", perClass, classes))
	}
	src := rng.New(seed)
	n := perClass * classes
	X := tensor.Zeros[float64](n, 2)
	labels := make([]string, n)
	for k := range classes {
		for i := range perClass {
			r := float64(i+1) / float64(perClass)
			theta := float64(k)*2*math.Pi/float64(classes) + 4*r + noise*r*src.NormFloat64()
			row := k*perClass + i
			X.Set(row, 0, r*math.Sin(theta))
			X.Set(row, 1, r*math.Cos(theta))
			labels[row] = fmt.Sprint(k)
		}
	}
	return &Dataset{Name: "spiral (generated)", Features: []string{"x1", "x2"}, Target: "arm", X: X, Labels: labels}
}

// XOR returns the exclusive-or problem with noise: samples points near
// the corners (0,0), (0,1), (1,0) and (1,1), in that order repeated, each
// moved by Gaussian noise of standard deviation noise, labelled "1" when
// exactly one coordinate's corner is 1 and "0" otherwise. It panics if
// samples < 1.
func XOR(samples int, noise float64, seed uint32) *Dataset {
	if samples < 1 {
		panic(fmt.Sprintf("data: XOR(%d): want at least 1 sample", samples))
	}
	src := rng.New(seed)
	X := tensor.Zeros[float64](samples, 2)
	labels := make([]string, samples)
	for i := range samples {
		a, b := float64(i/2%2), float64(i%2)
		X.Set(i, 0, a+noise*src.NormFloat64())
		X.Set(i, 1, b+noise*src.NormFloat64())
		labels[i] = "0"
		if a != b {
			labels[i] = "1"
		}
	}
	return &Dataset{Name: "xor (generated)", Features: []string{"a", "b"}, Target: "xor", X: X, Labels: labels}
}
