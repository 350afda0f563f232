package nerve

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/rng"
)

// passengerTable returns n rows of a Titanic-style table whose label
// follows a rule of a text column, a numeric one with missing cells and
// a categorical one with missing cells, and a regression target.
func passengerTable(t *testing.T, n int, seed uint32) *data.Table {
	t.Helper()
	r := rng.New(seed)
	rows := make([][]string, n)
	for i := range rows {
		sex := []string{"male", "female"}[int(r.Uint32()%2)]
		age := 1 + 70*r.Float64()
		deck := []string{"A", "B", "C", "", "NA"}[int(r.Uint32()%5)]
		survived := "no"
		if sex == "female" || age < 12 {
			survived = "yes"
		}
		ageCell := fmt.Sprintf("%.1f", age)
		if int(r.Uint32()%10) == 0 {
			ageCell = "?"
		}
		fare := 10 + age/2
		if deck == "A" {
			fare += 40
		}
		rows[i] = []string{fmt.Sprint(i + 1), sex, ageCell, deck, fmt.Sprintf("%.3f", fare), survived}
	}
	tb, err := data.NewTable(fmt.Sprintf("passengers-%d", seed), []string{"id", "sex", "age", "deck", "fare", "survived"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestClassifierFitTable(t *testing.T) {
	train := passengerTable(t, 300, 1)
	c := NewClassifier[string](Options{Seed: 3})
	if _, err := c.FitTable(context.Background(), train, data.PrepOptions{Target: "survived", Drop: []string{"id", "fare"}}); err != nil {
		t.Fatal(err)
	}
	test := passengerTable(t, 200, 2)
	pred, rep, err := c.PredictTable(test)
	if err != nil || rep.Total() != 0 {
		t.Fatalf("PredictTable: %v, %+v", err, rep)
	}
	want := make([]string, test.Len())
	for i, row := range test.Rows {
		want[i] = row[5]
	}
	// The rule is exact except where age is missing (10%).
	if acc := accuracy(pred, want); acc < 0.9 {
		t.Errorf("test accuracy %.3f; want ≥ 0.9", acc)
	}
	m := c.Model()
	if m.Preprocessing == nil || m.Scaler != nil || m.Target != "survived" || len(m.Features) != m.Network.Inputs() {
		t.Errorf("model: preprocessing %v, scaler %v, target %q, %d features for %d inputs", m.Preprocessing, m.Scaler, m.Target, len(m.Features), m.Network.Inputs())
	}
	// Saved and loaded, it predicts the same from the raw table.
	path := filepath.Join(t.TempDir(), "p.nerve")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadClassifier[string](path)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := back.PredictTable(test)
	if err != nil || fmt.Sprint(again) != fmt.Sprint(pred) {
		t.Errorf("loaded classifier predicts differently (%v)", err)
	}
	// Unseen categories are counted, not refused; a missing column is an
	// error naming it.
	test.Rows[0][1], test.Rows[1][3] = "other", "Z"
	if _, rep, err := back.PredictTable(test); err != nil || rep.Unseen["sex"] != 1 || rep.Unseen["deck"] != 1 {
		t.Errorf("unseen: %v, %+v", err, rep)
	}
	short, _ := data.NewTable("short", []string{"sex", "deck"}, [][]string{{"male", "A"}})
	if _, _, err := back.PredictTable(short); !errors.Is(err, data.ErrData) {
		t.Errorf("table without age: %v; want ErrData", err)
	}
	// A model trained on numbers has no preprocessing.
	plain := NewClassifier[string](Options{Epochs: 1})
	if _, _, err := plain.PredictTable(test); !errors.Is(err, ErrNotFitted) {
		t.Errorf("PredictTable before Fit: %v; want ErrNotFitted", err)
	}
	if _, err := plain.FitTable(context.Background(), train, data.PrepOptions{}); !errors.Is(err, ErrOptions) {
		t.Errorf("FitTable without a target: %v; want ErrOptions", err)
	}
	if _, err := NewClassifier[int](Options{Epochs: 1}).FitTable(context.Background(), train, data.PrepOptions{Target: "survived"}); !errors.Is(err, data.ErrData) {
		t.Errorf("int labels from text: %v; want ErrData", err)
	}
}

func TestRegressorFitTable(t *testing.T) {
	train := passengerTable(t, 300, 4)
	r := NewRegressor(Options{Seed: 1})
	if _, err := r.FitTable(context.Background(), train, data.PrepOptions{Target: "fare", Drop: []string{"id", "survived"}}); err != nil {
		t.Fatal(err)
	}
	test := passengerTable(t, 200, 5)
	pred, _, err := r.PredictTable(test)
	if err != nil {
		t.Fatal(err)
	}
	var ss, st, mean float64
	for _, row := range test.Rows {
		var y float64
		fmt.Sscan(row[4], &y)
		mean += y / float64(test.Len())
	}
	for i, row := range test.Rows {
		var y float64
		fmt.Sscan(row[4], &y)
		ss += (pred.At(i, 0) - y) * (pred.At(i, 0) - y)
		st += (y - mean) * (y - mean)
	}
	// fare = 10 + age/2 (+40 on deck A); age is missing in 10% of rows.
	if r2 := 1 - ss/st; r2 < 0.9 || math.IsNaN(r2) {
		t.Errorf("test R² %.3f; want ≥ 0.9", r2)
	}
	if r.Model().Preprocessing.Task != data.TaskRegression || r.Model().TargetScaler == nil {
		t.Errorf("regression model: task %v, target scaler %v", r.Model().Preprocessing.Task, r.Model().TargetScaler)
	}
}

// TestFitTableWeighted: weights given with a table reach the loss as they
// do through FitWeighted on the table's transformed rows (the same
// weights, bit for bit), leave the preprocessing alone, and are checked.
func TestFitTableWeighted(t *testing.T) {
	ctx := context.Background()
	tb := passengerTable(t, 300, 4)
	sw := make([]float64, len(tb.Rows))
	for i := range sw {
		sw[i] = float64(i%4) / 2
	}
	prep := data.PrepOptions{Target: "survived", Drop: []string{"id"}}
	o := Options{Hidden: []int{8}, Epochs: 5, Seed: 2, Validation: 0.2}
	clf := NewClassifier[string](o)
	h, err := clf.FitTableWeighted(ctx, tb, prep, sw)
	if err != nil {
		t.Fatal(err)
	}
	p, d, err := fitTable(tb, prep, data.TaskClassification)
	if err != nil {
		t.Fatal(err)
	}
	onRows := NewClassifier[string](o)
	want, err := onRows.fit(ctx, inputs{x64: d.X}, d.Labels, sw, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameHistory(t, h, want)
	sameWeights(t, clf.Model().Network, onRows.Model().Network)
	plain := NewClassifier[string](o)
	ph, err := plain.FitTable(ctx, tb, prep)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plain.Model().Preprocessing, clf.Model().Preprocessing) {
		t.Errorf("weights changed the preprocessing")
	}
	if h.Last().Loss == ph.Last().Loss {
		t.Errorf("weighted and unweighted fits have the same loss %v", h.Last().Loss)
	}

	reg := NewRegressor(Options{Hidden: []int{8}, Epochs: 3, Seed: 2})
	if _, err := reg.FitTableWeighted(ctx, tb, data.PrepOptions{Target: "fare"}, sw[:10]); !errors.Is(err, data.ErrData) {
		t.Errorf("10 weights for 300 rows: %v; want an error wrapping data.ErrData", err)
	}
	if _, err := reg.FitTableWeighted(ctx, tb, data.PrepOptions{Target: "fare", Drop: []string{"survived"}}, sw); err != nil {
		t.Errorf("regressor: %v", err)
	}
}
