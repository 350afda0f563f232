package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

var irisFeatures = []string{"sepal_length", "sepal_width", "petal_length", "petal_width"}

// classifier returns an iris-shaped classifier (4 features, 3 string
// classes, a scaler) whose weights seed draws.
func classifier(t testing.TB, seed uint32) *model.Model[float32] {
	t.Helper()
	net, err := nn.New[float32](nn.Config{Inputs: 4, Loss: loss.CrossEntropy, BiasInit: nn.StandardNormal, Layers: []nn.LayerSpec{
		{Units: 8, Activation: activation.ReLU}, {Units: 3, Activation: activation.Softmax}}}, rng.New(seed))
	if err != nil {
		t.Fatal(err)
	}
	return &model.Model[float32]{Network: net, Task: model.Classification,
		Classes: []string{"setosa", "versicolor", "virginica"}, LabelType: model.LabelString,
		Features: irisFeatures, Target: "species",
		Scaler: &data.Scaler{Mean: []float64{5.84, 3.06, 3.76, 1.2}, Scale: []float64{0.83, 0.43, 1.76, 0.76}}}
}

// intClassifier returns a classifier with integer labels and no feature
// names.
func intClassifier(t testing.TB) *model.Model[float32] {
	t.Helper()
	net, err := nn.New[float32](nn.Config{Inputs: 3, Loss: loss.CrossEntropy, BiasInit: nn.StandardNormal, Layers: []nn.LayerSpec{
		{Units: 5, Activation: activation.Tanh}, {Units: 3, Activation: activation.Softmax}}}, rng.New(7))
	if err != nil {
		t.Fatal(err)
	}
	return &model.Model[float32]{Network: net, Task: model.Classification, Classes: []string{"3", "10", "-2"}, LabelType: model.LabelInt}
}

// regressor returns a two-output regressor with feature names and both
// scalers.
func regressor(t testing.TB) *model.Model[float32] {
	t.Helper()
	net, err := nn.New[float32](nn.Config{Inputs: 3, Loss: loss.MSE, BiasInit: nn.StandardNormal, Layers: []nn.LayerSpec{
		{Units: 6, Activation: activation.Tanh}, {Units: 2}}}, rng.New(5))
	if err != nil {
		t.Fatal(err)
	}
	return &model.Model[float32]{Network: net, Task: model.Regression, Features: []string{"a", "b", "c"}, Target: "y",
		Scaler:       &data.Scaler{Mean: []float64{1, -2.5, 3}, Scale: []float64{3, 0.1, 2}},
		TargetScaler: &data.Scaler{Mean: []float64{100.25, -1}, Scale: []float64{12.5, 0.3}}}
}

// save writes m to dir/name and returns the path.
func save(t testing.TB, dir, name string, m *model.Model[float32]) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := model.Save(p, m); err != nil {
		t.Fatal(err)
	}
	return p
}

// newServer serves m from a file in a temporary directory.
func newServer(t testing.TB, m *model.Model[float32], opt Options) (*Server, string) {
	t.Helper()
	p := save(t, t.TempDir(), "model.nerve", m)
	s, err := New(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, p
}

// do sends one request to h and returns the status and body.
func do(t testing.TB, h http.Handler, method, path, contentType, body string, header ...string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, err := io.ReadAll(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Code, b
}

// inferBody is a V2 request for the rows of X.
func inferBody(X *tensor.Dense[float64], outputs ...string) string {
	req := map[string]any{"inputs": []any{map[string]any{"name": "input", "shape": []int{X.Rows(), X.Cols()}, "datatype": "FP64", "data": X.Data()}}}
	if outputs != nil {
		var o []any
		for _, n := range outputs {
			o = append(o, map[string]string{"name": n})
		}
		req["outputs"] = o
	}
	b, _ := json.Marshal(req)
	return string(b)
}

// v2Answer is a decoded V2 inference answer.
type v2Answer struct {
	ModelName    string `json:"model_name"`
	ModelVersion string `json:"model_version"`
	ID           string `json:"id"`
	Outputs      []struct {
		Name     string            `json:"name"`
		Datatype string            `json:"datatype"`
		Shape    []int             `json:"shape"`
		Data     []json.RawMessage `json:"data"`
	} `json:"outputs"`
}

func decodeV2(t testing.TB, b []byte) v2Answer {
	t.Helper()
	var a v2Answer
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return a
}

// testRows returns n rows of 4 iris-like features drawn from seed.
func testRows(n int, seed uint32) *tensor.Dense[float64] {
	src := rng.New(seed)
	X := tensor.Zeros[float64](n, 4)
	for i := range X.Data() {
		X.Data()[i] = 1 + 6*src.Float64()
	}
	return X
}
