package nn

import (
	"fmt"
	"math"

	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// Initializer says how a weight matrix or bias vector gets its first
// values. Draws come from an explicit *rng.Source in numpy's order
// (row-major over the inputs×outputs matrix), so that a tutorial seeded
// with np.random.seed(n) gets the same initial weights.
type Initializer int

// The initializers. fanIn and fanOut are a layer's inputs and outputs.
const (
	// Auto picks HeUniform for ReLU-family layers and GlorotUniform
	// otherwise; for biases it means Zeros. It is the zero value.
	Auto Initializer = iota
	// Zeros draws nothing and sets 0.
	Zeros
	// Uniform draws from [0, 1): np.random.random, np.random.rand and
	// np.random.uniform(size=…).
	Uniform
	// UniformSym draws from [−1, 1) as 2·np.random.random(…) − 1.
	UniformSym
	// StandardNormal draws from N(0, 1): np.random.randn.
	StandardNormal
	// GlorotUniform draws from np.random.uniform(−l, l) with
	// l = √(6/(fanIn+fanOut)).
	GlorotUniform
	// GlorotNormal draws randn·√(2/(fanIn+fanOut)).
	GlorotNormal
	// HeUniform draws from np.random.uniform(−l, l) with l = √(6/fanIn).
	HeUniform
	// HeNormal draws randn·√(2/fanIn).
	HeNormal
)

var initNames = [...]string{
	Auto: "auto", Zeros: "zeros", Uniform: "uniform", UniformSym: "uniform-sym",
	StandardNormal: "normal", GlorotUniform: "glorot-uniform", GlorotNormal: "glorot-normal",
	HeUniform: "he-uniform", HeNormal: "he-normal",
}

// String returns the initializer's name, e.g. "he-uniform".
func (in Initializer) String() string {
	if in < 0 || int(in) >= len(initNames) {
		return fmt.Sprintf("initializer(%d)", int(in))
	}
	return initNames[in]
}

// ParseInitializer returns the initializer with the given name.
func ParseInitializer(s string) (Initializer, error) {
	for i, n := range initNames {
		if s == n {
			return Initializer(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown initializer %q", ErrConfig, s)
}

// fill draws m's values from src, in row-major order.
func (in Initializer) fill(m *tensor.Dense[float64], fanIn, fanOut int, src *rng.Source) {
	d := m.Data()
	switch in {
	case Zeros:
		clear(d)
	case Uniform:
		for i := range d {
			d[i] = src.Float64()
		}
	case UniformSym:
		for i := range d {
			d[i] = 2*src.Float64() - 1
		}
	case StandardNormal:
		for i := range d {
			d[i] = src.NormFloat64()
		}
	case GlorotUniform, HeUniform:
		l := math.Sqrt(6 / float64(fanIn+fanOut))
		if in == HeUniform {
			l = math.Sqrt(6 / float64(fanIn))
		}
		for i := range d {
			d[i] = src.Uniform(-l, l)
		}
	case GlorotNormal, HeNormal:
		s := math.Sqrt(2 / float64(fanIn+fanOut))
		if in == HeNormal {
			s = math.Sqrt(2 / float64(fanIn))
		}
		for i := range d {
			d[i] = src.NormFloat64() * s
		}
	default:
		panic(fmt.Sprintf("nn: invalid initializer %d", int(in)))
	}
}
