package optim

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

// golden is testdata/golden.json, written by testdata/gen_golden.py.
type golden struct {
	TorchVersion string                 `json:"torch_version"`
	Steps        int                    `json:"steps"`
	Runs         map[string][][]float64 `json:"runs"`
	Schedules    map[string][]float64   `json:"schedules"`
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("testdata/golden.json: %v", err)
	}
	return g
}

// shapes, initial, target and gradient are the problem of gen_golden.py.
var shapes = [][2]int{{3, 4}, {1, 4}}

func initial(t, k int) float64 { return float64((7*k+3*t)%11-5) / 5 }

func target(t, k int) float64 { return 0.25*float64(t+1) - 0.05*float64(k) }

func gradient(s, t, k int, p float64) float64 {
	return 2*(p-target(t, k)) + 0.1*math.Sin(float64(s+13*t+k))
}

func newParams[T tensor.Float]() []Param[T] {
	ps := make([]Param[T], len(shapes))
	for t, sh := range shapes {
		v := tensor.Zeros[T](sh[0], sh[1])
		for k := range v.Data() {
			v.Data()[k] = T(initial(t, k))
		}
		ps[t] = Param[T]{Value: v, Grad: tensor.Zeros[T](sh[0], sh[1])}
	}
	return ps
}

func setGrads[T tensor.Float](ps []Param[T], s int) {
	for t, p := range ps {
		g := p.Grad.Data()
		for k, v := range p.Value.Data() {
			g[k] = T(gradient(s, t, k, float64(v)))
		}
	}
}

// run does steps steps of opt on the golden problem and returns the final
// parameters, flattened, in float64.
func run[T tensor.Float](opt Optimizer[T], steps int) [][]float64 {
	ps := newParams[T]()
	for s := 1; s <= steps; s++ {
		setGrads(ps, s)
		opt.Step(ps)
	}
	out := make([][]float64, len(ps))
	for t, p := range ps {
		for _, v := range p.Value.Data() {
			out[t] = append(out[t], float64(v))
		}
	}
	return out
}

// cases are the configurations of gen_golden.py's RUNS, by the same names.
var cases = []struct {
	name string
	f64  func() (Optimizer[float64], error)
	f32  func() (Optimizer[float32], error)
}{
	{"sgd",
		func() (Optimizer[float64], error) { return NewSGD[float64](SGD{LR: 0.05}) },
		func() (Optimizer[float32], error) { return NewSGD[float32](SGD{LR: 0.05}) }},
	{"sgd_momentum",
		func() (Optimizer[float64], error) { return NewSGD[float64](SGD{LR: 0.05, Momentum: 0.9}) },
		func() (Optimizer[float32], error) { return NewSGD[float32](SGD{LR: 0.05, Momentum: 0.9}) }},
	{"sgd_nesterov",
		func() (Optimizer[float64], error) {
			return NewSGD[float64](SGD{LR: 0.05, Momentum: 0.9, Nesterov: true})
		},
		func() (Optimizer[float32], error) {
			return NewSGD[float32](SGD{LR: 0.05, Momentum: 0.9, Nesterov: true})
		}},
	{"sgd_wd_dampening",
		func() (Optimizer[float64], error) {
			return NewSGD[float64](SGD{LR: 0.05, Momentum: 0.8, Dampening: 0.3, WeightDecay: 0.01})
		},
		func() (Optimizer[float32], error) {
			return NewSGD[float32](SGD{LR: 0.05, Momentum: 0.8, Dampening: 0.3, WeightDecay: 0.01})
		}},
	{"rmsprop",
		func() (Optimizer[float64], error) { return NewRMSProp[float64](RMSProp{LR: 0.01}) },
		func() (Optimizer[float32], error) { return NewRMSProp[float32](RMSProp{LR: 0.01}) }},
	{"rmsprop_centered_momentum",
		func() (Optimizer[float64], error) {
			return NewRMSProp[float64](RMSProp{LR: 0.01, Alpha: 0.9, Momentum: 0.5, Centered: true, WeightDecay: 0.01})
		},
		func() (Optimizer[float32], error) {
			return NewRMSProp[float32](RMSProp{LR: 0.01, Alpha: 0.9, Momentum: 0.5, Centered: true, WeightDecay: 0.01})
		}},
	{"adagrad_lr_decay",
		func() (Optimizer[float64], error) {
			return NewAdaGrad[float64](AdaGrad{LR: 0.1, LRDecay: 0.01, WeightDecay: 0.01, InitialAccumulatorValue: 0.1})
		},
		func() (Optimizer[float32], error) {
			return NewAdaGrad[float32](AdaGrad{LR: 0.1, LRDecay: 0.01, WeightDecay: 0.01, InitialAccumulatorValue: 0.1})
		}},
	{"adam",
		func() (Optimizer[float64], error) { return NewAdam[float64](Adam{LR: 0.01}) },
		func() (Optimizer[float32], error) { return NewAdam[float32](Adam{LR: 0.01}) }},
	{"adam_amsgrad",
		func() (Optimizer[float64], error) {
			return NewAdam[float64](Adam{LR: 0.01, Beta1: 0.8, Beta2: 0.99, AMSGrad: true})
		},
		func() (Optimizer[float32], error) {
			return NewAdam[float32](Adam{LR: 0.01, Beta1: 0.8, Beta2: 0.99, AMSGrad: true})
		}},
	{"adam_weight_decay",
		func() (Optimizer[float64], error) { return NewAdam[float64](Adam{LR: 0.01, WeightDecay: 0.1}) },
		func() (Optimizer[float32], error) { return NewAdam[float32](Adam{LR: 0.01, WeightDecay: 0.1}) }},
	{"adamw",
		func() (Optimizer[float64], error) { return NewAdamW[float64](AdamW{LR: 0.01}) },
		func() (Optimizer[float32], error) { return NewAdamW[float32](AdamW{LR: 0.01}) }},
}

// maxRelErr returns the largest |got−want|/|want| over all elements, or
// the absolute difference where want is 0. It fails t on a shape mismatch.
func maxRelErr(t *testing.T, got, want [][]float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d params; want %d", len(got), len(want))
	}
	worst := 0.0
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("param %d: got %d elements; want %d", i, len(got[i]), len(want[i]))
		}
		for k, w := range want[i] {
			d := math.Abs(got[i][k] - w)
			if w != 0 {
				d /= math.Abs(w)
			}
			if !(d <= worst) {
				worst = d
			}
		}
	}
	return worst
}

func TestGoldenPyTorch(t *testing.T) {
	g := loadGolden(t)
	if len(g.Runs) != len(cases) {
		t.Errorf("golden.json has %d runs; the test has %d cases", len(g.Runs), len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, ok := g.Runs[c.name]
			if !ok {
				t.Fatalf("no run %q in golden.json", c.name)
			}
			o64, err := c.f64()
			if err != nil {
				t.Fatal(err)
			}
			got64 := run(o64, g.Steps)
			rel := maxRelErr(t, got64, want)
			t.Logf("float64 vs torch %s: max relative error %.3g", g.TorchVersion, rel)
			if rel > 1e-6 {
				t.Errorf("float64: max relative error %g; want <= 1e-6", rel)
			}

			o32, err := c.f32()
			if err != nil {
				t.Fatal(err)
			}
			got32 := run(o32, g.Steps)
			worst := 0.0
			for i := range got64 {
				for k, w := range got64[i] {
					d := math.Abs(got32[i][k]-w) / max(1, math.Abs(w))
					worst = max(worst, d)
				}
			}
			t.Logf("float32 vs float64: max error %.3g", worst)
			if !(worst <= 1e-4) {
				t.Errorf("float32: max error vs float64 %g; want <= 1e-4", worst)
			}
		})
	}
}

func TestGoldenSchedules(t *testing.T) {
	g := loadGolden(t)
	const lr = 0.1
	for _, c := range []struct {
		name string
		s    Schedule
	}{
		{"step", Step(lr, 3, 0.5)},
		{"exponential", Exponential(lr, 0.9)},
		{"cosine", Cosine(lr, 10, 0.001)},
		{"inverse_time", InverseTime(lr, 0.5)},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, ok := g.Schedules[c.name]
			if !ok {
				t.Fatalf("no schedule %q in golden.json", c.name)
			}
			worst := 0.0
			for e, w := range want {
				got := c.s.LR(e)
				rel := math.Abs(got-w) / math.Abs(w)
				if !(rel <= 1e-9) {
					t.Errorf("epoch %d: got %v; want %v", e, got, w)
				}
				worst = max(worst, rel)
			}
			t.Logf("max relative error vs torch scheduler: %.3g", worst)
		})
	}
	if got := Constant(lr).LR(7); got != lr {
		t.Errorf("Constant(%v).LR(7) = %v; want %v", lr, got, lr)
	}
}

func TestStepAllocs(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := c.f64()
			if err != nil {
				t.Fatal(err)
			}
			ps := newParams[float64]()
			setGrads(ps, 1)
			o.Step(ps)
			if n := testing.AllocsPerRun(10, func() { o.Step(ps) }); n != 0 {
				t.Errorf("Step after the first allocates %v times; want 0", n)
			}
		})
	}
}

func TestSetLR(t *testing.T) {
	for _, c := range cases {
		o, err := c.f32()
		if err != nil {
			t.Fatal(err)
		}
		if err := o.SetLR(0.125); err != nil {
			t.Fatalf("%s: SetLR(0.125): %v", c.name, err)
		}
		if got := o.LR(); got != 0.125 {
			t.Errorf("%s: LR() after SetLR(0.125) = %v; want 0.125", c.name, got)
		}
		for _, bad := range []float64{-0.1, math.NaN(), math.Inf(1), math.Inf(-1)} {
			err := o.SetLR(bad)
			var ce *ConfigError
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &ce) || ce.Field != "LR" {
				t.Errorf("%s: SetLR(%v) error %v; want a *ConfigError for LR wrapping ErrInvalid", c.name, bad, err)
			}
			if got := o.LR(); got != 0.125 {
				t.Errorf("%s: LR() after a refused SetLR(%v) = %v; want 0.125 kept", c.name, bad, got)
			}
		}
	}
}

func TestDefaults(t *testing.T) {
	for _, c := range []struct {
		name string
		o    func() (Optimizer[float64], error)
		lr   float64
	}{
		{"SGD", func() (Optimizer[float64], error) { return NewSGD[float64](SGD{}) }, 0.01},
		{"RMSProp", func() (Optimizer[float64], error) { return NewRMSProp[float64](RMSProp{}) }, 0.01},
		{"AdaGrad", func() (Optimizer[float64], error) { return NewAdaGrad[float64](AdaGrad{}) }, 0.01},
		{"Adam", func() (Optimizer[float64], error) { return NewAdam[float64](Adam{}) }, 1e-3},
		{"AdamW", func() (Optimizer[float64], error) { return NewAdamW[float64](AdamW{}) }, 1e-3},
	} {
		o, err := c.o()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := o.LR(); got != c.lr {
			t.Errorf("%s: default LR %v; want %v", c.name, got, c.lr)
		}
	}
	// The zero values are the documented PyTorch defaults.
	a, _ := NewAdam[float64](Adam{})
	if got := *a.(*adam[float64]); got.cfg != (Adam{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}) || got.decoupled {
		t.Errorf("Adam{} resolved to %+v; want PyTorch defaults", got.cfg)
	}
	w, _ := NewAdamW[float64](AdamW{})
	if got := *w.(*adam[float64]); got.cfg != (Adam{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 1e-2}) || !got.decoupled {
		t.Errorf("AdamW{} resolved to %+v; want PyTorch defaults", got.cfg)
	}
	r, _ := NewRMSProp[float64](RMSProp{})
	if got := r.(*rmsprop[float64]).cfg; got != (RMSProp{LR: 0.01, Alpha: 0.99, Eps: 1e-8}) {
		t.Errorf("RMSProp{} resolved to %+v; want PyTorch defaults", got)
	}
	g, _ := NewAdaGrad[float64](AdaGrad{})
	if got := g.(*adagrad[float64]).cfg; got != (AdaGrad{LR: 0.01, Eps: 1e-10}) {
		t.Errorf("AdaGrad{} resolved to %+v; want PyTorch defaults", got)
	}
}

func TestInvalidConfig(t *testing.T) {
	for _, c := range []struct {
		name, field string
		err         error
	}{
		{"SGD negative LR", "LR", second(NewSGD[float64](SGD{LR: -1}))},
		{"SGD negative momentum", "Momentum", second(NewSGD[float64](SGD{Momentum: -0.1}))},
		{"SGD negative weight decay", "WeightDecay", second(NewSGD[float32](SGD{WeightDecay: -1}))},
		{"SGD Nesterov without momentum", "Nesterov", second(NewSGD[float64](SGD{Nesterov: true}))},
		{"SGD Nesterov with dampening", "Nesterov", second(NewSGD[float64](SGD{Nesterov: true, Momentum: 0.9, Dampening: 0.1}))},
		{"RMSProp negative alpha", "Alpha", second(NewRMSProp[float64](RMSProp{Alpha: -0.5}))},
		{"RMSProp negative eps", "Eps", second(NewRMSProp[float64](RMSProp{Eps: -1}))},
		{"RMSProp NaN LR", "LR", second(NewRMSProp[float64](RMSProp{LR: math.NaN()}))},
		{"AdaGrad negative LRDecay", "LRDecay", second(NewAdaGrad[float64](AdaGrad{LRDecay: -1}))},
		{"AdaGrad negative accumulator", "InitialAccumulatorValue", second(NewAdaGrad[float64](AdaGrad{InitialAccumulatorValue: -1}))},
		{"Adam beta1 = 1", "Beta1", second(NewAdam[float64](Adam{Beta1: 1}))},
		{"Adam negative beta2", "Beta2", second(NewAdam[float64](Adam{Beta2: -0.1}))},
		{"Adam negative weight decay", "WeightDecay", second(NewAdam[float64](Adam{WeightDecay: -0.1}))},
		{"AdamW beta2 > 1", "Beta2", second(NewAdamW[float32](AdamW{Beta2: 1.5}))},
		{"AdamW negative LR", "LR", second(NewAdamW[float32](AdamW{LR: -1e-3}))},
	} {
		var ce *ConfigError
		if !errors.As(c.err, &ce) || !errors.Is(c.err, ErrInvalid) {
			t.Errorf("%s: got error %v; want a *ConfigError wrapping ErrInvalid", c.name, c.err)
			continue
		}
		if ce.Field != c.field {
			t.Errorf("%s: got field %q; want %q (error %q)", c.name, ce.Field, c.field, c.err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestStepPanics(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s: did not panic", name)
			}
		}()
		f()
	}
	o, _ := NewAdam[float64](Adam{})
	ps := newParams[float64]()
	o.Step(ps)
	mustPanic("fewer params", func() { o.Step(ps[:1]) })
	mustPanic("resized param", func() {
		o.Step([]Param[float64]{ps[0], {Value: tensor.Zeros[float64](2, 4), Grad: tensor.Zeros[float64](2, 4)}})
	})
	o2, _ := NewSGD[float64](SGD{})
	mustPanic("grad size", func() {
		o2.Step([]Param[float64]{{Value: tensor.Zeros[float64](2, 2), Grad: tensor.Zeros[float64](1, 2)}})
	})
}

func TestSchedulePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"Step(stepSize 0)": func() { Step(0.1, 0, 0.5) },
		"Cosine(tMax 0)":   func() { Cosine(0.1, 0, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestNewByName(t *testing.T) {
	for _, name := range Names() {
		o, err := New[float32](strings.ToUpper(name), 0.5)
		if err != nil {
			t.Fatalf("New(%q): %v", name, err)
		}
		if o.LR() != 0.5 {
			t.Errorf("New(%q).LR() = %v; want 0.5", name, o.LR())
		}
	}
	if o, _ := New[float64]("adam", 0); o.LR() != 0.001 {
		t.Errorf("adam default LR %v; want 0.001", o.LR())
	}
	if _, err := New[float64]("adamax", 0.1); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `unknown optimizer "adamax"`) || !strings.Contains(err.Error(), "adamw") {
		t.Errorf("unknown name: err = %v", err)
	}
	if _, err := New[float64]("sgd", -1); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative lr: err = %v", err)
	}
}

// TestStateResume checks that an optimizer rebuilt from another's State
// continues bit for bit: 10 steps in one go equal 4 steps, a State
// round trip into a fresh optimizer, and 6 more.
func TestStateResume(t *testing.T) {
	for _, name := range Names() {
		for _, amsgrad := range []bool{false, true} {
			if amsgrad && name != "adam" {
				continue
			}
			mk := func() Optimizer[float64] {
				if amsgrad {
					o, _ := NewAdam[float64](Adam{LR: 0.1, AMSGrad: true})
					return o
				}
				o, _ := New[float64](name, 0.05)
				return o
			}
			params := func() []Param[float64] {
				return []Param[float64]{
					{Value: tensor.New(2, 2, []float64{1, -2, 3, 0.5}), Grad: tensor.Zeros[float64](2, 2)},
					{Value: tensor.New(1, 3, []float64{0.1, 0.2, -0.3}), Grad: tensor.Zeros[float64](1, 3)},
				}
			}
			grad := func(ps []Param[float64], step int) {
				for _, p := range ps {
					for i, v := range p.Value.Data() {
						p.Grad.Data()[i] = math.Sin(v*float64(step+1)) + 0.1*v
					}
				}
			}
			want, got := params(), params()
			a := mk()
			for s := range 10 {
				grad(want, s)
				a.Step(want)
			}
			b := mk()
			for s := range 4 {
				grad(got, s)
				b.Step(got)
			}
			st := b.(Stateful[float64]).State()
			c := mk()
			if err := c.(Stateful[float64]).SetState(st); err != nil {
				t.Fatalf("%s: SetState: %v", name, err)
			}
			if st.Steps != 4 {
				t.Errorf("%s: State().Steps = %d; want 4", name, st.Steps)
			}
			for s := 4; s < 10; s++ {
				grad(got, s)
				c.Step(got)
			}
			for i := range want {
				if !tensor.Equal(want[i].Value, got[i].Value) {
					t.Errorf("%s amsgrad=%v: param %d after resume %v; want %v", name, amsgrad, i, got[i].Value.Data(), want[i].Value.Data())
				}
			}
		}
	}
	o, _ := NewAdam[float32](Adam{})
	bad := State[float32]{Steps: 3, Buffers: [][][]float32{{{1, 2}}}}
	if err := o.(Stateful[float32]).SetState(bad); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "1 buffers per parameter, want 2") {
		t.Errorf("bad state: err = %v", err)
	}
	bad = State[float32]{Steps: 3, Buffers: [][][]float32{{{1, 2}}, {{1}}}}
	if err := o.(Stateful[float32]).SetState(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("ragged state: err = %v", err)
	}
}

// TestNewDecay checks that NewDecay passes the weight decay on: one SGD
// step from p = 1 with a zero gradient moves p by −lr·λ·p, and a decay
// of 0 leaves p alone.
func TestNewDecay(t *testing.T) {
	for _, tc := range []struct {
		name   string
		wd     float64
		want   float64
		wantOK bool
	}{{"sgd", 0.5, 0.95, true}, {"momentum", 0.5, 0.95, true}, {"sgd", 0, 1, true}, {"adagrad", -1, 0, false}} {
		o, err := NewDecay[float64](tc.name, 0.1, tc.wd)
		if !tc.wantOK {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("NewDecay(%q, λ=%v): %v; want ErrInvalid", tc.name, tc.wd, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		p := []Param[float64]{{Value: tensor.FromRows([][]float64{{1}}), Grad: tensor.FromRows([][]float64{{0}})}}
		o.Step(p)
		if got := p[0].Value.At(0, 0); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("NewDecay(%q, λ=%v): p after one step %v; want %v", tc.name, tc.wd, got, tc.want)
		}
	}
}
