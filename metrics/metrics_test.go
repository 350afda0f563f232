package metrics

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

// mustPanic calls f and fails unless it panics with a message containing
// want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic; want one containing %q", want)
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, want) {
			t.Fatalf("panic %q; want it to contain %q", msg, want)
		}
	}()
	f()
}

func TestAccuracy(t *testing.T) {
	tests := []struct {
		name string
		got  func() float64
		want float64
	}{
		{"int all right", func() float64 { return Accuracy([]int{1, 2, 3}, []int{1, 2, 3}) }, 1},
		{"int none right", func() float64 { return Accuracy([]int{1, 2}, []int{2, 1}) }, 0},
		{"string 3 of 4", func() float64 { return Accuracy([]string{"a", "b", "a", "c"}, []string{"a", "b", "b", "c"}) }, 0.75},
		{"float32 1 of 4", func() float64 { return Accuracy([]float32{0, 1, 1, 0}, []float32{0, 0, 0, 1}) }, 0.25},
		{"float64 2 of 5", func() float64 { return Accuracy([]float64{0.5, 1, 2, 3, 4}, []float64{0.5, 1, 0, 0, 0}) }, 0.4},
		{"NaN is never right", func() float64 { return Accuracy([]float64{math.NaN(), 1}, []float64{math.NaN(), 1}) }, 0.5},
		{"bool", func() float64 { return Accuracy([]bool{true, false, true}, []bool{true, true, true}) }, 2.0 / 3},
	}
	for _, tt := range tests {
		if got := tt.got(); got != tt.want {
			t.Errorf("%s: got %v; want %v", tt.name, got, tt.want)
		}
	}
}

// A 3-class case worked by hand:
//
//	true\pred  a  b  c     precision  recall  F1
//	        a  2  1  0     2/3        2/3     2/3
//	        b  0  1  0     1/2        1       2/3
//	        c  1  0  0     0 (0/0)    0       0
func TestConfusionByHand(t *testing.T) {
	yTrue := []string{"a", "a", "b", "c", "a"}
	yPred := []string{"a", "b", "b", "a", "a"}
	t0, p0 := slices.Clone(yTrue), slices.Clone(yPred)
	c := NewConfusion(yTrue, yPred)
	if !slices.Equal(yTrue, t0) || !slices.Equal(yPred, p0) {
		t.Error("inputs modified")
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(c.Classes, want) {
		t.Fatalf("Classes = %q; want %q", c.Classes, want)
	}
	wantCounts := [][]int{{2, 1, 0}, {0, 1, 0}, {1, 0, 0}}
	if !slices.EqualFunc(c.Counts, wantCounts, slices.Equal) {
		t.Errorf("Counts = %v; want %v", c.Counts, wantCounts)
	}
	if got := c.Total(); got != 5 {
		t.Errorf("Total() = %d; want 5", got)
	}
	if got := c.Accuracy(); got != 0.6 {
		t.Errorf("Accuracy() = %v; want 0.6", got)
	}
	want := []ClassScores{
		{"a", 2.0 / 3, 2.0 / 3, 2.0 / 3, 3},
		{"b", 0.5, 1, 2.0 / 3, 1},
		{"c", 0, 0, 0, 1},
	}
	got := c.PerClass()
	for i := range want {
		if i >= len(got) || !closeScores(got[i], want[i]) {
			t.Errorf("PerClass() = %+v; want %+v", got, want)
			break
		}
	}
	wantMacro := Scores{(2.0/3 + 0.5) / 3, (2.0/3 + 1) / 3, (4.0 / 3) / 3}
	if m := c.Macro(); !closeScores(ClassScores{"", m.Precision, m.Recall, m.F1, 0}, ClassScores{"", wantMacro.Precision, wantMacro.Recall, wantMacro.F1, 0}) {
		t.Errorf("Macro() = %+v; want %+v", m, wantMacro)
	}
	wantWeighted := Scores{(3*2.0/3 + 0.5) / 5, 0.6, (3*2.0/3 + 2.0/3) / 5}
	if w := c.Weighted(); !closeScores(ClassScores{"", w.Precision, w.Recall, w.F1, 0}, ClassScores{"", wantWeighted.Precision, wantWeighted.Recall, wantWeighted.F1, 0}) {
		t.Errorf("Weighted() = %+v; want %+v", w, wantWeighted)
	}
	per, macro := PrecisionRecallF1(yTrue, yPred)
	if !slices.Equal(per, got) || macro != c.Macro() {
		t.Errorf("PrecisionRecallF1 = %+v, %+v; want %+v, %+v", per, macro, got, c.Macro())
	}
}

func closeScores(a, b ClassScores) bool {
	return a.Class == b.Class && a.Support == b.Support &&
		near(a.Precision, b.Precision, 1e-15) && near(a.Recall, b.Recall, 1e-15) && near(a.F1, b.F1, 1e-15)
}

func TestConfusionFloatLabels(t *testing.T) {
	c32 := NewConfusion([]float32{2.5, -1, 2.5}, []float32{2.5, 2.5, 0})
	c64 := NewConfusion([]float64{2.5, -1, 2.5}, []float64{2.5, 2.5, 0})
	wantCounts := [][]int{{0, 0, 1}, {0, 0, 0}, {0, 1, 1}}
	for _, got := range []struct {
		classes string
		counts  [][]int
	}{{fmt.Sprint(c32.Classes), c32.Counts}, {fmt.Sprint(c64.Classes), c64.Counts}} {
		if got.classes != "[-1 0 2.5]" || !slices.EqualFunc(got.counts, wantCounts, slices.Equal) {
			t.Errorf("got classes %s, counts %v; want [-1 0 2.5], %v", got.classes, got.counts, wantCounts)
		}
	}
}

func TestConfusionString(t *testing.T) {
	c := NewConfusion([]string{"cat", "cat", "dog", "hummingbird"}, []string{"cat", "dog", "dog", "cat"})
	c.Counts[0][0] = 1234 // a wide count widens its column
	want := "" +
		`  true\pred   cat  dog  hummingbird` + "\n" +
		"        cat  1234    1            0\n" +
		"        dog     0    1            0\n" +
		"hummingbird     1    0            0\n"
	if got := c.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

func TestNewConfusionWith(t *testing.T) {
	classes := []int{2, 0, 1}
	c, err := NewConfusionWith([]int{0, 1, 1}, []int{0, 0, 1}, classes)
	if err != nil {
		t.Fatal(err)
	}
	classes[0] = 99
	if want := []int{2, 0, 1}; !slices.Equal(c.Classes, want) {
		t.Errorf("Classes = %v; want %v (a copy of the argument)", c.Classes, want)
	}
	wantCounts := [][]int{{0, 0, 0}, {0, 1, 0}, {0, 1, 1}}
	if !slices.EqualFunc(c.Counts, wantCounts, slices.Equal) {
		t.Errorf("Counts = %v; want %v", c.Counts, wantCounts)
	}

	tests := []struct {
		name           string
		yTrue, yPred   []string
		classes        []string
		sentinel       error
		wantErrMessage string
	}{
		{"unknown in yTrue", []string{"a", "x", "b"}, []string{"a", "a", "b"}, []string{"a", "b"}, ErrUnknownLabel,
			`metrics: unknown label "x" in yTrue at sample 2`},
		{"unknown in yPred", []string{"a", "b", "b"}, []string{"a", "b", "y"}, []string{"a", "b"}, ErrUnknownLabel,
			`metrics: unknown label "y" in yPred at sample 3`},
		{"no classes", []string{"a"}, []string{"a"}, nil, ErrUnknownLabel,
			`metrics: unknown label "a" in yTrue at sample 1`},
		{"duplicate class", []string{"a"}, []string{"a"}, []string{"a", "b", "a"}, ErrDuplicateClass,
			`metrics: duplicate class "a"`},
	}
	for _, tt := range tests {
		c, err := NewConfusionWith(tt.yTrue, tt.yPred, tt.classes)
		if c != nil || !errors.Is(err, tt.sentinel) || err.Error() != tt.wantErrMessage {
			t.Errorf("%s: got %v, %v; want nil, %q wrapping %v", tt.name, c, err, tt.wantErrMessage, tt.sentinel)
		}
	}
}

// Zero-division cases: a class never predicted has precision 0, a class
// never true has recall 0, and both give F1 0.
func TestZeroDivision(t *testing.T) {
	c, err := NewConfusionWith([]int{0, 0}, []int{1, 1}, []int{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []ClassScores{{"0", 0, 0, 0, 2}, {"1", 0, 0, 0, 0}, {"2", 0, 0, 0, 0}}
	if got := c.PerClass(); !slices.Equal(got, want) {
		t.Errorf("PerClass() = %+v; want %+v", got, want)
	}
	var empty Confusion[int]
	if got := empty.Accuracy(); got != 0 {
		t.Errorf("empty Accuracy() = %v; want 0", got)
	}
	if got := empty.Macro(); got != (Scores{}) {
		t.Errorf("empty Macro() = %+v; want zeros", got)
	}
	if got := empty.Weighted(); got != (Scores{}) {
		t.Errorf("empty Weighted() = %+v; want zeros", got)
	}
}

func TestLogLossByHand(t *testing.T) {
	ln2 := math.Ln2
	tests := []struct {
		name  string
		yTrue []int
		proba [][]float64
		want  float64 // for float64
		want3 float64 // for float32, where ε differs
	}{
		{"uniform", []int{0, 1}, [][]float64{{0.5, 0.5}, {0.5, 0.5}}, ln2, ln2},
		{"certain and right", []int{1}, [][]float64{{0, 1}}, -math.Log(1 - 0x1p-52), -math.Log(1 - 0x1p-23)},
		// 0 is clipped to ε and the row still sums to 1: −log ε.
		{"certain and wrong", []int{0}, [][]float64{{0, 1}}, 52 * ln2, 23 * ln2},
		// Rows are divided by their sum (here 0.5) after clipping.
		{"renormalised", []int{2}, [][]float64{{0.125, 0.25, 0.125}}, 2 * ln2, 2 * ln2},
		// Clipping comes first, so values above 1 all become 1−ε.
		{"clipped above 1", []int{2}, [][]float64{{1, 2, 1}}, math.Log(3), math.Log(3)},
		{"one column, class 0", []int{0}, [][]float64{{0.75}}, -math.Log(0.25), -math.Log(0.25)},
		{"one column, class 1", []int{1}, [][]float64{{0.75}}, -math.Log(0.75), -math.Log(0.75)},
		{"mean", []int{0, 0}, [][]float64{{0.25, 0.75}, {0.5, 0.5}}, (math.Log(4) + ln2) / 2, (math.Log(4) + ln2) / 2},
	}
	for _, tt := range tests {
		p := tensor.FromRows(tt.proba)
		if got := LogLoss(tt.yTrue, p); !near(got, tt.want, 1e-15) {
			t.Errorf("%s float64: got %.17g; want %.17g", tt.name, got, tt.want)
		}
		if got := LogLoss(tt.yTrue, tensor.Convert[float32](p)); !near(got, tt.want3, 1e-15) {
			t.Errorf("%s float32: got %.17g; want %.17g", tt.name, got, tt.want3)
		}
		if !tensor.Equal(p, tensor.FromRows(tt.proba)) {
			t.Errorf("%s: proba modified", tt.name)
		}
	}
}

func TestRegressionByHand(t *testing.T) {
	tests := []struct {
		name         string
		yTrue, yPred []float64
		mse, mae, r2 float64
	}{
		// SSres = 1, SStot = 2.
		{"one off", []float64{1, 2, 3}, []float64{1, 2, 4}, 1.0 / 3, 1.0 / 3, 0.5},
		{"perfect", []float64{-1, 5}, []float64{-1, 5}, 0, 0, 1},
		{"mean predictor", []float64{1, 3}, []float64{2, 2}, 1, 1, 0},
		{"worse than the mean", []float64{1, 3}, []float64{3, 1}, 4, 2, -3},
		{"constant, perfect", []float64{2, 2, 2}, []float64{2, 2, 2}, 0, 0, 1},
		{"constant, imperfect", []float64{2, 2, 2}, []float64{2, 2, 3.5}, 0.75, 0.5, 0},
	}
	for _, tt := range tests {
		t0, p0 := slices.Clone(tt.yTrue), slices.Clone(tt.yPred)
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"MSE", MSE(tt.yTrue, tt.yPred), tt.mse},
			{"MAE", MAE(tt.yTrue, tt.yPred), tt.mae},
			{"R2", R2(tt.yTrue, tt.yPred), tt.r2},
		} {
			if !near(f.got, f.want, 1e-15) {
				t.Errorf("%s: %s got %v; want %v", tt.name, f.name, f.got, f.want)
			}
		}
		if !slices.Equal(tt.yTrue, t0) || !slices.Equal(tt.yPred, p0) {
			t.Errorf("%s: inputs modified", tt.name)
		}
	}
	if got := R2([]float64{1}, []float64{2}); !math.IsNaN(got) {
		t.Errorf("R2 of one sample: got %v; want NaN", got)
	}
}

// Two outputs: column 0 is the "one off" case above, column 1 a constant
// target predicted imperfectly, so R² averages 0.5 and 0.
func TestRegressionDense(t *testing.T) {
	yTrue := [][]float64{{1, 2}, {2, 2}, {3, 2}}
	yPred := [][]float64{{1, 2}, {2, 2}, {4, 4}}
	const mse, mae, r2 = (1.0/3 + 4.0/3) / 2, (1.0/3 + 2.0/3) / 2, 0.25
	check := func(name string, got [3]float64) {
		t.Helper()
		for i, want := range [3]float64{mse, mae, r2} {
			if !near(got[i], want, 1e-15) {
				t.Errorf("%s: %s got %v; want %v", name, []string{"MSEDense", "MAEDense", "R2Dense"}[i], got[i], want)
			}
		}
	}
	t64, p64 := tensor.FromRows(yTrue), tensor.FromRows(yPred)
	check("float64", [3]float64{MSEDense(t64, p64), MAEDense(t64, p64), R2Dense(t64, p64)})
	t32, p32 := tensor.Convert[float32](t64), tensor.Convert[float32](p64)
	check("float32", [3]float64{MSEDense(t32, p32), MAEDense(t32, p32), R2Dense(t32, p32)})
	if one := tensor.FromRows([][]float32{{1, 2}}); !math.IsNaN(R2Dense(one, one)) {
		t.Errorf("R2Dense of one sample: got %v; want NaN", R2Dense(one, one))
	}
}

func TestMisusePanics(t *testing.T) {
	a3, a2 := tensor.Zeros[float64](3, 2), tensor.Zeros[float64](2, 2)
	f3, f0 := tensor.Zeros[float32](3, 1), tensor.Zeros[float32](0, 1)
	tests := []struct {
		want string
		f    func()
	}{
		{"metrics: Accuracy: yTrue has 5 samples, yPred has 4", func() { Accuracy(make([]int, 5), make([]int, 4)) }},
		{"metrics: Accuracy: yTrue has 0 samples, yPred has 0; want at least 1", func() { Accuracy([]string{}, nil) }},
		{"metrics: NewConfusion: yTrue has 1 samples, yPred has 2", func() { NewConfusion([]int{1}, []int{1, 2}) }},
		{"metrics: NewConfusion: yTrue has 0 samples, yPred has 0", func() { NewConfusion[int](nil, nil) }},
		{"metrics: NewConfusion: metrics: unknown label NaN", func() { NewConfusion([]float64{math.NaN()}, []float64{1}) }},
		{"metrics: NewConfusionWith: yTrue has 2 samples, yPred has 1", func() { _, _ = NewConfusionWith([]int{1, 2}, []int{1}, []int{1, 2}) }},
		{"metrics: PrecisionRecallF1: yTrue has 3 samples, yPred has 2", func() { PrecisionRecallF1(make([]int, 3), make([]int, 2)) }},
		{"metrics: Confusion has 2 classes but 1 rows of counts", func() { (&Confusion[int]{Classes: []int{1, 2}, Counts: [][]int{{1, 2}}}).PerClass() }},
		{"metrics: Confusion has 1 classes but row 0 of counts has 2", func() { _ = (&Confusion[int]{Classes: []int{1}, Counts: [][]int{{1, 2}}}).String() }},
		{"metrics: LogLoss: yTrue has 2 samples, proba has 3 rows", func() { LogLoss([]int{0, 1}, a3) }},
		{"metrics: LogLoss: yTrue has 0 samples, proba has 0 rows", func() { LogLoss(nil, f0) }},
		{"metrics: LogLoss: proba is (2, 0); want at least 1 column", func() { LogLoss([]int{0, 0}, tensor.Zeros[float32](2, 0)) }},
		{"metrics: LogLoss: yTrue[1] is 2; want a class index in [0, 2)", func() { LogLoss([]int{0, 2, 1}, a3) }},
		{"metrics: LogLoss: yTrue[0] is -1; want a class index in [0, 2)", func() { LogLoss([]int{-1, 0, 1}, f3) }},
		{"metrics: MSE: yTrue has 3 samples, yPred has 2", func() { MSE(make([]float64, 3), make([]float64, 2)) }},
		{"metrics: MAE: yTrue has 0 samples, yPred has 0", func() { MAE(nil, nil) }},
		{"metrics: R2: yTrue has 1 samples, yPred has 4", func() { R2(make([]float64, 1), make([]float64, 4)) }},
		{"metrics: MSEDense: yTrue is (3, 2), yPred is (2, 2)", func() { MSEDense(a3, a2) }},
		{"metrics: MAEDense: yTrue is (2, 2), yPred is (3, 2)", func() { MAEDense(a2, a3) }},
		{"metrics: R2Dense: yTrue is (0, 1), yPred is (0, 1); want at least 1 sample and 1 output", func() { R2Dense(f0, f0) }},
		{"metrics: R2Dense: yTrue is (3, 1), yPred is (0, 1)", func() { R2Dense(f3, f0) }},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) { mustPanic(t, tt.want, tt.f) })
	}
}
