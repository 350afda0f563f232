package optim

import (
	"math"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

// TestStepPart checks that StartStep and StepPart over every element, in
// uneven parts taken last parameter first, give Step's bits, for every
// optimizer that is a PartStepper (SGD, Adam and AdamW must be), with and
// without weight decay.
func TestStepPart(t *testing.T) {
	testStepPart[float32](t)
	testStepPart[float64](t)
}

func testStepPart[T tensor.Float](t *testing.T) {
	for _, name := range Names() {
		for _, wd := range []float64{0, 0.01} {
			whole, err := NewDecay[T](name, 0.05, wd)
			if err != nil {
				t.Fatal(err)
			}
			parted, _ := NewDecay[T](name, 0.05, wd)
			ps, ok := parted.(PartStepper[T])
			switch {
			case !ok && (name == "sgd" || name == "momentum" || name == "nesterov" || name == "adam" || name == "adamw"):
				t.Fatalf("%s is not a PartStepper", name)
			case !ok:
				continue
			}
			a, b := partParams[T](), partParams[T]()
			for s := range 3 {
				setGrads(a, s)
				setGrads(b, s)
				whole.Step(a)
				ps.StartStep(b)
				for i := len(b) - 1; i >= 0; i-- {
					n := len(b[i].Value.Data())
					cuts := []int{0, n / 3, n / 3, n/3 + 1, n}
					for c := len(cuts) - 1; c > 0; c-- {
						ps.StepPart(i, min(cuts[c-1], n), cuts[c])
					}
				}
				for i := range a {
					for k, v := range a[i].Value.Data() {
						if w := b[i].Value.Data()[k]; math.Float64bits(float64(v)) != math.Float64bits(float64(w)) {
							t.Fatalf("%T %s λ=%v step %d: param %d[%d]: StepPart %v, Step %v", T(0), name, wd, s+1, i, k, w, v)
						}
					}
				}
			}
		}
	}
}

// partParams are the golden problem's parameters and one of 1073
// elements, long enough for the assembly updates, cut at odd offsets.
func partParams[T tensor.Float]() []Param[T] {
	ps := newParams[T]()
	v := tensor.Zeros[T](29, 37)
	for k := range v.Data() {
		v.Data()[k] = T(initial(len(ps), k))
	}
	return append(ps, Param[T]{Value: v, Grad: tensor.Zeros[T](29, 37)})
}
