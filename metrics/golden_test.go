package metrics

import (
	"cmp"
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

// golden is testdata/golden.json, written by testdata/gen_golden.py with
// scikit-learn.
type golden struct {
	Sklearn        string
	Classification []struct {
		Name        string
		Kind        string          // "int" or "str": the type of the labels
		YTrue       json.RawMessage `json:"y_true"`
		YPred       json.RawMessage `json:"y_pred"`
		LabelsGiven bool            `json:"labels_given"`
		Classes     json.RawMessage
		Confusion   [][]int
		Accuracy    float64
		Precision   []float64
		Recall      []float64
		F1          []float64
		Support     []int
		Macro       []float64
		Weighted    []float64
		Report      string
	}
	LogLoss []struct {
		Name     string
		YTrue    []int       `json:"y_true"`
		Proba    [][]float64 // float32-representable values
		Want64   float64
		Want32   float64 // sklearn on the values widened to float64, float32 eps
		Native32 float64 // sklearn on the float32 array
	}
	Regression []struct {
		Name         string
		YTrue        [][]float64 `json:"y_true"` // float32-representable values
		YPred        [][]float64 `json:"y_pred"`
		MSE, MAE, R2 float64
	}
}

func loadGolden(t *testing.T) *golden {
	t.Helper()
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("testdata/golden.json: %v", err)
	}
	if len(g.Classification) == 0 || len(g.LogLoss) == 0 || len(g.Regression) == 0 {
		t.Fatalf("testdata/golden.json has %d classification, %d log-loss and %d regression cases; want some of each",
			len(g.Classification), len(g.LogLoss), len(g.Regression))
	}
	return &g
}

// near reports whether got is within tol of want, relative to want; a
// want of 0 must be matched exactly.
func near(got, want, tol float64) bool {
	return got == want || math.Abs(got-want) <= tol*math.Abs(want)
}

const goldenTol = 1e-12

func decode[L any](t *testing.T, raw json.RawMessage) []L {
	t.Helper()
	var v []L
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestGoldenClassification(t *testing.T) {
	g := loadGolden(t)
	for _, tc := range g.Classification {
		t.Run(tc.Name, func(t *testing.T) {
			switch tc.Kind {
			case "int":
				checkClassification(t, decode[int](t, tc.YTrue), decode[int](t, tc.YPred), decode[int](t, tc.Classes), tc.LabelsGiven,
					tc.Confusion, tc.Accuracy, tc.Precision, tc.Recall, tc.F1, tc.Support, tc.Macro, tc.Weighted, tc.Report)
			case "str":
				checkClassification(t, decode[string](t, tc.YTrue), decode[string](t, tc.YPred), decode[string](t, tc.Classes), tc.LabelsGiven,
					tc.Confusion, tc.Accuracy, tc.Precision, tc.Recall, tc.F1, tc.Support, tc.Macro, tc.Weighted, tc.Report)
			default:
				t.Fatalf("kind %q; want int or str", tc.Kind)
			}
		})
	}
}

func checkClassification[L cmp.Ordered](t *testing.T, yTrue, yPred, classes []L, given bool,
	confusion [][]int, accuracy float64, precision, recall, f1 []float64, support []int, macro, weighted []float64, report string) {
	t.Helper()
	if got := Accuracy(yTrue, yPred); got != accuracy {
		t.Errorf("Accuracy = %v; want %v", got, accuracy)
	}
	var c *Confusion[L]
	if given {
		var err error
		if c, err = NewConfusionWith(yTrue, yPred, classes); err != nil {
			t.Fatalf("NewConfusionWith: %v", err)
		}
	} else {
		c = NewConfusion(yTrue, yPred)
	}
	if !slices.Equal(c.Classes, classes) {
		t.Fatalf("Classes = %v; want %v", c.Classes, classes)
	}
	if !slices.EqualFunc(c.Counts, confusion, slices.Equal) {
		t.Errorf("Counts = %v; want %v", c.Counts, confusion)
	}
	if got := c.Accuracy(); !near(got, accuracy, goldenTol) {
		t.Errorf("Confusion.Accuracy() = %v; want %v", got, accuracy)
	}
	if got := c.Total(); got != len(yTrue) {
		t.Errorf("Total() = %d; want %d", got, len(yTrue))
	}
	per := c.PerClass()
	if len(per) != len(classes) {
		t.Fatalf("PerClass() has %d classes; want %d", len(per), len(classes))
	}
	for i, s := range per {
		want := ClassScores{Class: jsonLabel(classes[i]), Precision: precision[i], Recall: recall[i], F1: f1[i], Support: support[i]}
		if s.Class != want.Class || s.Support != want.Support ||
			!near(s.Precision, want.Precision, goldenTol) || !near(s.Recall, want.Recall, goldenTol) || !near(s.F1, want.F1, goldenTol) {
			t.Errorf("PerClass()[%d] = %+v; want %+v", i, s, want)
		}
	}
	for _, avg := range []struct {
		name string
		got  Scores
		want []float64
	}{{"Macro", c.Macro(), macro}, {"Weighted", c.Weighted(), weighted}} {
		want := Scores{avg.want[0], avg.want[1], avg.want[2]}
		if !near(avg.got.Precision, want.Precision, goldenTol) || !near(avg.got.Recall, want.Recall, goldenTol) || !near(avg.got.F1, want.F1, goldenTol) {
			t.Errorf("%s() = %+v; want %+v", avg.name, avg.got, want)
		}
	}
	if !given {
		gotPer, gotMacro := PrecisionRecallF1(yTrue, yPred)
		if !slices.Equal(gotPer, per) || gotMacro != c.Macro() {
			t.Errorf("PrecisionRecallF1 = %+v, %+v; want %+v, %+v", gotPer, gotMacro, per, c.Macro())
		}
	}
	if got := c.Report(); got != report {
		t.Errorf("Report() =\n%s\nwant (sklearn's classification_report)\n%s", got, report)
	}
}

// jsonLabel is the label as sklearn's report prints it ("%s" % label),
// which for ints and strings is what fmt.Sprint gives.
func jsonLabel[L cmp.Ordered](l L) string {
	b, _ := json.Marshal(l)
	var s string
	if json.Unmarshal(b, &s) == nil {
		return s
	}
	return string(b)
}

func TestGoldenLogLoss(t *testing.T) {
	g := loadGolden(t)
	for _, tc := range g.LogLoss {
		t.Run(tc.Name, func(t *testing.T) {
			p64 := tensor.FromRows(tc.Proba)
			yTrue := slices.Clone(tc.YTrue)
			if got := LogLoss(yTrue, p64); !near(got, tc.Want64, goldenTol) {
				t.Errorf("float64: got %.17g; want %.17g", got, tc.Want64)
			}
			p32 := tensor.Convert[float32](p64)
			got := LogLoss(yTrue, p32)
			if !near(got, tc.Want32, goldenTol) {
				t.Errorf("float32: got %.17g; want %.17g", got, tc.Want32)
			}
			// sklearn computes in float32 throughout; LogLoss in float64.
			if !near(got, tc.Native32, 1e-6) {
				t.Errorf("float32: got %.17g; want %.17g (sklearn on float32) within 1e-6", got, tc.Native32)
			}
			if !tensor.Equal(p64, tensor.FromRows(tc.Proba)) || !tensor.Equal(p32, tensor.Convert[float32](p64)) || !slices.Equal(yTrue, tc.YTrue) {
				t.Error("inputs modified")
			}
		})
	}
}

func TestGoldenRegression(t *testing.T) {
	g := loadGolden(t)
	for _, tc := range g.Regression {
		t.Run(tc.Name, func(t *testing.T) {
			t.Run("float64", func(t *testing.T) {
				checkRegression(t, tensor.FromRows(tc.YTrue), tensor.FromRows(tc.YPred), tc.MSE, tc.MAE, tc.R2)
			})
			t.Run("float32", func(t *testing.T) {
				checkRegression(t, tensor.Convert[float32](tensor.FromRows(tc.YTrue)), tensor.Convert[float32](tensor.FromRows(tc.YPred)), tc.MSE, tc.MAE, tc.R2)
			})
			if len(tc.YTrue[0]) != 1 {
				return
			}
			yTrue, yPred := tensor.FromRows(tc.YTrue).Data(), tensor.FromRows(tc.YPred).Data()
			for _, f := range []struct {
				name string
				fn   func(a, b []float64) float64
				want float64
			}{{"MSE", MSE, tc.MSE}, {"MAE", MAE, tc.MAE}, {"R2", R2, tc.R2}} {
				if got := f.fn(yTrue, yPred); !near(got, f.want, goldenTol) {
					t.Errorf("%s = %.17g; want %.17g", f.name, got, f.want)
				}
			}
		})
	}
}

func checkRegression[T tensor.Float](t *testing.T, yTrue, yPred *tensor.Dense[T], mse, mae, r2 float64) {
	t.Helper()
	t0, p0 := yTrue.Clone(), yPred.Clone()
	for _, f := range []struct {
		name string
		fn   func(a, b *tensor.Dense[T]) float64
		want float64
	}{{"MSEDense", MSEDense[T], mse}, {"MAEDense", MAEDense[T], mae}, {"R2Dense", R2Dense[T], r2}} {
		if got := f.fn(yTrue, yPred); !near(got, f.want, goldenTol) {
			t.Errorf("%s = %.17g; want %.17g", f.name, got, f.want)
		}
	}
	if !tensor.Equal(yTrue, t0) || !tensor.Equal(yPred, p0) {
		t.Error("inputs modified")
	}
}
