package data

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// Generators lists the names Generate knows: the four classification
// problems of TensorFlow Playground, then its two regression problems.
func Generators() []string {
	return []string{"circle", "xor", "gauss", "spiral", "plane", "multigauss"}
}

// IsRegression reports whether the generator name draws a regression
// problem (plane, multigauss) rather than class labels.
func IsRegression(name string) bool { return name == "plane" || name == "multigauss" }

// Synthetic says how many points Generate draws and how.
// The zero value draws 500 noiseless points with seed 0, two classes.
type Synthetic struct {
	Samples int // points to draw; 0 means 500
	// Noise is TensorFlow Playground's noise slider divided by 100: 0
	// draws clean data, 0.5 (the slider's end) very noisy data. Generate
	// accepts 0..1.
	Noise float64
	Seed  uint32 // seeds rng.New; a seed always gives the same points
	// Classes is the number of spiral arms, one class each; 0 means 2.
	// Only spiral draws more than two classes.
	Classes int
}

// Generate draws the two-feature dataset that TensorFlow Playground calls
// name (see Generators) on the plane [−6, 6]², with the features "x1",
// "x2" and the target "label":
//
//	circle      label 1 inside radius 2.5, −1 in the ring from 3.5 to 5
//	xor         label 1 where x1·x2 ≥ 0, −1 elsewhere
//	gauss       two Gaussian clouds at (2, 2) (label 1) and (−2, −2) (−1)
//	spiral      Classes interleaved arms, labels −1 and 1 (or 0, 1, … for
//	            more than two arms)
//	plane       regression: y = (x1 + x2)/10
//	multigauss  regression: six Gaussian bumps of height ±1
//
// As in TensorFlow Playground, noise moves the point at which circle, xor,
// plane and multigauss evaluate the label (so some labels are wrong), widens
// gauss's clouds and shakes spiral's points. Classification labels are the
// strings "1" and "−1" written as "-1", as TensorFlow Playground's ±1;
// regression targets are Dataset.Y, samples×1. All draws come from
// rng.New(o.Seed).
//
// Generate returns an error wrapping ErrData for an unknown name, a negative
// Samples, a Noise outside 0..1 or Classes other than 2 for a generator
// that is not spiral.
func Generate(name string, o Synthetic) (*Dataset, error) {
	if !slices.Contains(Generators(), name) {
		return nil, fmt.Errorf("%w: unknown generator %q (want one of circle, xor, gauss, spiral, plane, multigauss)", ErrData, name)
	}
	n, classes := o.Samples, o.Classes
	if n == 0 {
		n = 500
	}
	if classes == 0 {
		classes = 2
	}
	switch {
	case n < 0:
		return nil, fmt.Errorf("%w: %s: %d samples; want at least 1", ErrData, name, o.Samples)
	case !(o.Noise >= 0 && o.Noise <= 1):
		return nil, fmt.Errorf("%w: %s: noise %v; want 0..1 (TensorFlow Playground's 0–50 %% is 0..0.5)", ErrData, name, o.Noise)
	case classes < 2 || classes > 2 && name != "spiral":
		return nil, fmt.Errorf("%w: %s: %d classes; want 2 (only spiral draws more)", ErrData, name, classes)
	}
	g := &generator{src: rng.New(o.Seed), noise: o.Noise, X: tensor.Zeros[float64](n, 2)}
	switch name {
	case "circle":
		g.circle()
	case "xor":
		g.xor()
	case "gauss":
		g.gauss()
	case "spiral":
		g.spiral(classes)
	case "plane":
		g.regress(func(x1, x2 float64) float64 { return (x1 + x2) / 10 })
	case "multigauss":
		g.regress(multiGauss)
	}
	d := &Dataset{Name: name + " (generated)", Features: []string{"x1", "x2"}, Target: "label", X: g.X}
	if IsRegression(name) {
		d.Y = tensor.New(n, 1, g.y)
	} else {
		d.Labels = g.labels
	}
	return d, nil
}

// generator fills X row by row with the points it draws.
type generator struct {
	src    *rng.Source
	noise  float64
	X      *tensor.Dense[float64] // samples×2
	labels []string               // classification
	y      []float64              // regression
}

// add appends the point (x1, x2) with its class label.
func (g *generator) add(x1, x2 float64, label string) {
	i := len(g.labels)
	g.X.Set(i, 0, x1)
	g.X.Set(i, 1, x2)
	g.labels = append(g.labels, label)
}

// sign returns TensorFlow Playground's class label: "1" when positive,
// "-1" otherwise.
func sign(positive bool) string {
	if positive {
		return "1"
	}
	return "-1"
}

// shake returns an offset uniform in [−r, r]·noise, drawn for x1 then x2,
// the noise TensorFlow Playground adds before it labels a point.
func (g *generator) shake(r float64) (float64, float64) {
	return g.src.Uniform(-r, r) * g.noise, g.src.Uniform(-r, r) * g.noise
}

// circle draws half the points at radius 0..2.5 and the rest at 3.5..5,
// each labelled by whether the point moved by noise lies inside 2.5.
func (g *generator) circle() {
	const radius = 5
	n := g.X.Rows()
	for i := range n {
		lo, hi := 0.0, radius*0.5
		if i >= (n+1)/2 {
			lo, hi = radius*0.7, radius
		}
		r := g.src.Uniform(lo, hi)
		angle := g.src.Uniform(0, 2*math.Pi)
		x1, x2 := r*math.Sin(angle), r*math.Cos(angle)
		d1, d2 := g.shake(radius)
		g.add(x1, x2, sign(math.Hypot(x1+d1, x2+d2) < radius*0.5))
	}
}

// xor draws points uniform in the four quadrants, kept 0.3 off the axes,
// labelled by the sign of x1·x2 at the point moved by noise.
func (g *generator) xor() {
	const padding = 0.3
	pad := func(v float64) float64 {
		if v > 0 {
			return v + padding
		}
		return v - padding
	}
	for range g.X.Rows() {
		x1 := pad(g.src.Uniform(-5, 5))
		x2 := pad(g.src.Uniform(-5, 5))
		d1, d2 := g.shake(5)
		g.add(x1, x2, sign((x1+d1)*(x2+d2) >= 0))
	}
}

// gauss draws half the points around (2, 2), labelled 1, and the rest
// around (−2, −2), labelled −1, with a variance growing linearly from 0.5
// at noise 0 to 4 at noise 0.5.
func (g *generator) gauss() {
	sd := math.Sqrt(0.5 + 7*g.noise)
	n := g.X.Rows()
	for i := range n {
		c := 2.0
		if i >= (n+1)/2 {
			c = -2
		}
		x1 := c + sd*g.src.NormFloat64()
		x2 := c + sd*g.src.NormFloat64()
		g.add(x1, x2, sign(c > 0))
	}
}

// spiral draws the arms one after the other: point i of an arm of m points
// lies at radius r = 5i/m and angle t = 3.5πi/m + 2πk/classes for arm k,
// moved by noise·uniform(−1, 1) on each coordinate. With two arms, arm 0 is
// labelled 1 and arm 1 −1, as TensorFlow Playground does; with more, arm k
// is labelled k.
func (g *generator) spiral(classes int) {
	n := g.X.Rows()
	for k := range classes {
		m := n / classes
		if k < n%classes {
			m++
		}
		for i := range m {
			r := float64(i) / float64(m) * 5
			t := 1.75*float64(i)/float64(m)*2*math.Pi + 2*math.Pi*float64(k)/float64(classes)
			x1 := r*math.Sin(t) + g.src.Uniform(-1, 1)*g.noise
			x2 := r*math.Cos(t) + g.src.Uniform(-1, 1)*g.noise
			label := strconv.Itoa(k)
			if classes == 2 {
				label = sign(k == 0)
			}
			g.add(x1, x2, label)
		}
	}
}

// regress draws points uniform on [−6, 6]² with the target f at the point
// moved by noise.
func (g *generator) regress(f func(x1, x2 float64) float64) {
	const radius = 6
	for i := range g.X.Rows() {
		x1 := g.src.Uniform(-radius, radius)
		x2 := g.src.Uniform(-radius, radius)
		d1, d2 := g.shake(radius)
		g.X.Set(i, 0, x1)
		g.X.Set(i, 1, x2)
		g.y = append(g.y, f(x1+d1, x2+d2))
	}
}

// multiGauss is the target of the multigauss problem: six bumps at
// x2 = ±2.5 and x1 = −4, 0, 4 with alternating signs, each falling
// linearly from ±1 at its centre to 0 at distance 2, and the value of the
// bump largest in magnitude.
func multiGauss(x1, x2 float64) float64 {
	bumps := [6][3]float64{{-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}}
	v := 0.0
	for _, b := range bumps {
		h := b[2] * max(0, 1-math.Hypot(x1-b[0], x2-b[1])/2)
		if math.Abs(h) > math.Abs(v) {
			v = h
		}
	}
	return v
}
