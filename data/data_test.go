package data

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

func TestIris(t *testing.T) {
	d := Iris()
	if r, c := d.X.Dims(); r != 150 || c != 4 {
		t.Fatalf("X is (%d, %d); want (150, 4)", r, c)
	}
	counts := map[string]int{}
	for _, l := range d.Labels {
		counts[l]++
	}
	for _, s := range []string{"setosa", "versicolor", "virginica"} {
		if counts[s] != 50 {
			t.Errorf("%s: %d samples; want 50", s, counts[s])
		}
	}
	// First and last rows of Fisher's table.
	if got := d.X.Row(0); !slices.Equal(got, []float64{5.1, 3.5, 1.4, 0.2}) {
		t.Errorf("row 1 = %v", got)
	}
	if got := d.X.Row(149); !slices.Equal(got, []float64{5.9, 3.0, 5.1, 1.8}) {
		t.Errorf("row 150 = %v", got)
	}
	if d.Features[2] != "petal_length" || d.Target != "species" {
		t.Errorf("features %v, target %q", d.Features, d.Target)
	}
	// Each call is a fresh copy.
	d.X.Set(0, 0, 99)
	if Iris().X.At(0, 0) != 5.1 {
		t.Error("Iris returned shared storage")
	}
}

func TestSplitStratified(t *testing.T) {
	d := Iris()
	tr, te, err := d.Split(0.2, 7)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Len() != 120 || te.Len() != 30 {
		t.Fatalf("split sizes %d/%d; want 120/30", tr.Len(), te.Len())
	}
	for _, part := range []*Dataset{tr, te} {
		counts := map[string]int{}
		for _, l := range part.Labels {
			counts[l]++
		}
		for l, c := range counts {
			if c != part.Len()/3 {
				t.Errorf("class %s has %d of %d samples; want a third", l, c, part.Len())
			}
		}
	}
	// Every sample lands on exactly one side, rows intact.
	seen := map[[4]float64]int{}
	for _, part := range []*Dataset{d, tr, te} {
		for i := range part.Len() {
			seen[[4]float64(part.X.Row(i))]++
		}
	}
	for k, v := range seen {
		if v%2 != 0 {
			t.Fatalf("row %v seen %d times", k, v)
		}
	}
	// Same seed, same split; another seed, another split.
	tr2, _, _ := d.Split(0.2, 7)
	if !tensor.Equal(tr.X, tr2.X) {
		t.Error("same seed gave different splits")
	}
	tr3, _, _ := d.Split(0.2, 8)
	if tensor.Equal(tr.X, tr3.X) {
		t.Error("seeds 7 and 8 gave the same split")
	}
}

func TestSplitRegressionAndErrors(t *testing.T) {
	d := &Dataset{X: tensor.Zeros[float64](10, 2), Y: tensor.Zeros[float64](10, 1)}
	for i := range 10 {
		d.X.Set(i, 0, float64(i))
		d.Y.Set(i, 0, float64(i))
	}
	tr, te, err := d.Split(0.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Len() != 7 || te.Len() != 3 {
		t.Fatalf("sizes %d/%d; want 7/3", tr.Len(), te.Len())
	}
	for i := range te.Len() {
		if te.X.At(i, 0) != te.Y.At(i, 0) {
			t.Fatal("X and Y rows were separated")
		}
	}
	for _, f := range []float64{0, 1, -0.5, 1.5, math.NaN(), 0.01} {
		if _, _, err := d.Split(f, 1); !errors.Is(err, ErrData) {
			t.Errorf("Split(%v): err = %v; want ErrData", f, err)
		}
	}
}

func TestScaler(t *testing.T) {
	X := tensor.FromRows([][]float64{{1, 10, 5}, {2, 20, 5}, {3, 60, 5}})
	s, err := FitScaler(X)
	if err != nil {
		t.Fatal(err)
	}
	// numpy: X.mean(0), X.std(0) (ddof 0), constant column scale 1.
	wantMean := []float64{2, 30, 5}
	wantScale := []float64{math.Sqrt(2.0 / 3), math.Sqrt(1400.0 / 3), 1}
	for j := range 3 {
		if math.Abs(s.Mean[j]-wantMean[j]) > 1e-12 || math.Abs(s.Scale[j]-wantScale[j]) > 1e-12*wantScale[j] {
			t.Errorf("feature %d: mean %v scale %v; want %v %v", j, s.Mean[j], s.Scale[j], wantMean[j], wantScale[j])
		}
	}
	Z, err := Transform[float64](s, X)
	if err != nil {
		t.Fatal(err)
	}
	if Z.At(0, 2) != 0 || math.Abs(Z.At(2, 0)-math.Sqrt(1.5)) > 1e-12 {
		t.Errorf("Transform = %v", Z)
	}
	back, err := Inverse(s, Z)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		for j := range 3 {
			if math.Abs(back.At(i, j)-X.At(i, j)) > 1e-12 {
				t.Fatalf("Inverse(Transform(X)) = %v; want %v", back, X)
			}
		}
	}
	if X.At(2, 1) != 60 {
		t.Error("Transform modified its input")
	}
	if _, err := Transform[float32](s, tensor.Zeros[float64](2, 4)); !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "4 features") {
		t.Errorf("wrong width: err = %v", err)
	}
	bad := tensor.FromRows([][]float64{{1, math.NaN()}})
	if _, err := FitScaler(bad); !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "sample 1, feature 2") {
		t.Errorf("NaN: err = %v", err)
	}
	if err := (&Scaler{Mean: []float64{0}, Scale: []float64{0}}).Validate(); !errors.Is(err, ErrData) {
		t.Errorf("zero scale: err = %v", err)
	}
}

func TestClasses(t *testing.T) {
	c, err := NewClasses([]string{"10", "2", "9", "2", "10"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Labels(); !slices.Equal(got, []string{"2", "9", "10"}) {
		t.Errorf("numeric strings sorted as %v; want [2 9 10]", got)
	}
	cs, _ := NewClasses([]string{"b", "a", "c", "a"})
	if got := cs.Labels(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("labels %v; want [a b c]", got)
	}
	idx, err := cs.Encode([]string{"c", "a"})
	if err != nil || !slices.Equal(idx, []int{2, 0}) {
		t.Errorf("Encode = %v, %v; want [2 0]", idx, err)
	}
	if got := cs.Decode([]int{1, 2}); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("Decode = %v", got)
	}
	if _, err := cs.Encode([]string{"a", "zebra"}); !errors.Is(err, ErrData) || !strings.Contains(err.Error(), `sample 2 has label "zebra"`) {
		t.Errorf("unseen label: err = %v", err)
	}
	ci, _ := NewClasses([]int{3, -1, 3, 0})
	if got := ci.Labels(); !slices.Equal(got, []int{-1, 0, 3}) {
		t.Errorf("int labels %v", got)
	}
	if _, err := NewClasses([]string{"x", "x"}); !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "every target is x") {
		t.Errorf("one class: err = %v", err)
	}
	if _, err := ClassesOf([]string{"a", "a"}); !errors.Is(err, ErrData) {
		t.Errorf("duplicate: err = %v", err)
	}
}

func TestOneHotArgmax(t *testing.T) {
	m := OneHot[float32]([]int{2, 0, 1}, 3)
	want := tensor.FromRows([][]float32{{0, 0, 1}, {1, 0, 0}, {0, 1, 0}})
	if !tensor.Equal(m, want) {
		t.Errorf("OneHot = %v", m)
	}
	if got := Argmax(m); !slices.Equal(got, []int{2, 0, 1}) {
		t.Errorf("Argmax = %v", got)
	}
	if got := Argmax(tensor.FromRows([][]float64{{0.5, 0.5}, {-1, -2}})); !slices.Equal(got, []int{0, 0}) {
		t.Errorf("Argmax ties/negatives = %v; want [0 0]", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "index 3 of sample 0") {
			t.Errorf("panic = %v", r)
		}
	}()
	OneHot[float64]([]int{3}, 3)
}
