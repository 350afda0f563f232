package loss

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/nerve-ml/nerve/tensor"
)

// weightedGolden is testdata/weighted.json, written by
// testdata/gen_weighted.py with PyTorch 1.13.
type weightedGolden struct {
	CrossEntropy struct {
		Z           [][]float64 `json:"z"`
		Labels      []int       `json:"labels"`
		ClassWeight []float64   `json:"class_weight"`
		Loss        float64     `json:"loss"`
		DZ          [][]float64 `json:"dz"`
	} `json:"cross_entropy"`
	MSESum struct {
		Yhat, Y [][]float64
		W       []float64 `json:"w"`
		Loss    float64   `json:"loss"`
		DYhat   [][]float64
	} `json:"mse_sum"`
}

// PyTorch's CrossEntropyLoss(weight=...) is the weighted mean
// Σᵢ w[yᵢ]ℓᵢ / Σᵢ w[yᵢ]: the Mean reduction with sample weights
// w[yᵢ]; and a weighted sum of squares is SSE's Sum reduction.
func TestWeightedMatchesPyTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/weighted.json")
	if err != nil {
		t.Fatal(err)
	}
	var g weightedGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("testdata/weighted.json: %v", err)
	}
	ce := g.CrossEntropy
	z := tensor.FromRows(ce.Z)
	m, k := z.Dims()
	y, a := tensor.Zeros[float64](m, k), tensor.Zeros[float64](m, k)
	w := make([]float64, m)
	for i, l := range ce.Labels {
		y.Set(i, l, 1)
		w[i] = ce.ClassWeight[l]
		var se float64
		for _, v := range z.Row(i) {
			se += math.Exp(v)
		}
		for j, v := range z.Row(i) {
			a.Set(i, j, math.Exp(v)/se)
		}
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-14*(1+math.Abs(want)) {
			t.Errorf("%s = %.17g; PyTorch %.17g", what, got, want)
		}
	}
	near("cross-entropy", ValueLogitsWeighted(CrossEntropy, z, y, w, Mean), ce.Loss)
	dz := tensor.Zeros[float64](m, k)
	GradientLogitsWeighted(CrossEntropy, dz, a, y, w, Mean)
	for i := range m {
		for j := range k {
			near("cross-entropy dZ", dz.At(i, j), ce.DZ[i][j])
		}
	}

	ms := g.MSESum
	yhat, yt := tensor.FromRows(ms.Yhat), tensor.FromRows(ms.Y)
	near("weighted sum of squares", ValueWeighted(SSE, yhat, yt, ms.W, Sum), ms.Loss)
	dy := tensor.Zeros[float64](yhat.Dims())
	GradientWeighted(SSE, dy, yhat, yt, ms.W, Sum)
	for i := range yhat.Rows() {
		for j := range yhat.Cols() {
			near("SSE dŷ", dy.At(i, j), ms.DYhat[i][j])
		}
	}
}
