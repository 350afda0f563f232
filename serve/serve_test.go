package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/tensor"
)

func TestHealthAndMetadata(t *testing.T) {
	s, _ := newServer(t, classifier(t, 1), Options{Name: "iris"})
	for _, tt := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/v2/health/live", 200, `{"live":true}`},
		{"GET", "/v2/health/ready", 200, `{"ready":true}`},
		{"GET", "/v2/models/iris/ready", 200, `{"ready":true}`},
		{"GET", "/v2/models/iris/versions/" + s.Version() + "/ready", 200, `{"ready":true}`},
		{"GET", "/v2", 200, `{"extensions":[],"name":"nerve","version":"1"}`},
		{"HEAD", "/v2/health/live", 200, `{"live":true}`}, // the recorder keeps the body a real server drops
		{"GET", "/v2/models/iris", 200, `{"name":"iris","versions":["` + s.Version() + `"],"platform":"nerve",` +
			`"inputs":[{"name":"input","datatype":"FP32","shape":[-1,4]}],` +
			`"outputs":[{"name":"label","datatype":"BYTES","shape":[-1]},{"name":"probabilities","datatype":"FP32","shape":[-1,3]}],` +
			`"parameters":{"classes":["setosa","versicolor","virginica"],"features":["sepal_length","sepal_width","petal_length","petal_width"],"label_type":"string","target":"species","task":"classification"}}`},
	} {
		status, body := do(t, s, tt.method, tt.path, "", "")
		if status != tt.status || strings.TrimSpace(string(body)) != tt.want {
			t.Errorf("%s %s: %d %s; want %d %s", tt.method, tt.path, status, body, tt.status, tt.want)
		}
	}
	if v := s.Version(); len(v) != 12 {
		t.Errorf("Version() = %q; want 12 hex digits", v)
	}

	r, _ := newServer(t, regressor(t), Options{})
	_, body := do(t, r, "GET", "/v2/models/model", "", "")
	if want := `"outputs":[{"name":"predictions","datatype":"FP32","shape":[-1,2]}]`; !strings.Contains(string(body), want) {
		t.Errorf("regressor metadata %s; want it to contain %s", body, want)
	}
	c, _ := newServer(t, intClassifier(t), Options{})
	_, body = do(t, c, "GET", "/v2/models/model", "", "")
	if want := `{"name":"label","datatype":"INT64","shape":[-1]}`; !strings.Contains(string(body), want) {
		t.Errorf("int-label metadata %s; want it to contain %s", body, want)
	}
}

// checkV2 checks a V2 answer for rows X against m.Predict: labels exact,
// probabilities and predictions as float32 of the same values.
func checkV2(t testing.TB, m *model.Model[float32], X *tensor.Dense[float64], a v2Answer, outputs []string) {
	t.Helper()
	P, err := m.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range a.Outputs {
		names = append(names, o.Name)
	}
	if !slices.Equal(names, outputs) {
		t.Fatalf("outputs %q; want %q", names, outputs)
	}
	pred := data.Argmax(P)
	for _, o := range a.Outputs {
		switch o.Name {
		case "label":
			if !slices.Equal(o.Shape, []int{X.Rows()}) || len(o.Data) != X.Rows() {
				t.Fatalf("label: shape %v, %d values; want [%d]", o.Shape, len(o.Data), X.Rows())
			}
			for i, d := range o.Data {
				want := strconv.Quote(m.Classes[pred[i]])
				if m.LabelType == model.LabelInt {
					want = m.Classes[pred[i]]
				}
				if string(d) != want {
					t.Errorf("label[%d] = %s; want %s", i, d, want)
				}
			}
		default:
			if !slices.Equal(o.Shape, []int{X.Rows(), P.Cols()}) || len(o.Data) != len(P.Data()) || o.Datatype != "FP32" {
				t.Fatalf("%s: %s shape %v, %d values; want FP32 [%d %d]", o.Name, o.Datatype, o.Shape, len(o.Data), X.Rows(), P.Cols())
			}
			for k, d := range o.Data {
				got, err := strconv.ParseFloat(string(d), 32)
				if want := float64(float32(P.Data()[k])); err != nil || got != want {
					t.Errorf("%s value %d = %s; want %v", o.Name, k, d, want)
				}
			}
		}
	}
}

func TestInferEqualsPredict(t *testing.T) {
	for _, tt := range []struct {
		name    string
		m       *model.Model[float32]
		outputs []string
	}{
		{"classifier", classifier(t, 1), []string{"label", "probabilities"}},
		{"int labels", intClassifier(t), []string{"label", "probabilities"}},
		{"regressor", regressor(t), []string{"predictions"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, batching := range []int{1, 64} {
				s, _ := newServer(t, tt.m, Options{MaxBatch: batching})
				X := testRows(17, 3)
				if F := tt.m.Network.Inputs(); F != 4 {
					X = tensor.New(17*4/F, F, X.Data()[:17*4/F*F])
				}
				status, body := do(t, s, "POST", "/v2/models/model/infer", "application/json", inferBody(X))
				if status != 200 {
					t.Fatalf("max batch %d: %d %s", batching, status, body)
				}
				a := decodeV2(t, body)
				if a.ModelName != "model" || a.ModelVersion != s.Version() {
					t.Errorf("answer from %q version %q; want %q %q", a.ModelName, a.ModelVersion, "model", s.Version())
				}
				checkV2(t, tt.m, X, a, tt.outputs)
			}
		})
	}
}

func TestInferOutputsAndShapes(t *testing.T) {
	m := classifier(t, 2)
	s, _ := newServer(t, m, Options{})
	X := testRows(3, 4)
	_, body := do(t, s, "POST", "/v2/models/model/infer", "", inferBody(X, "probabilities"))
	checkV2(t, m, X, decodeV2(t, body), []string{"probabilities"})
	_, body = do(t, s, "POST", "/v2/models/model/versions/"+s.Version()+"/infer", "", inferBody(X, "label"))
	checkV2(t, m, X, decodeV2(t, body), []string{"label"})

	// Nested data, FP32, an id echoed back, zero rows.
	var nested [][]float64
	for i := range X.Rows() {
		nested = append(nested, X.Row(i))
	}
	b, _ := json.Marshal(map[string]any{"id": "req-7", "inputs": []any{map[string]any{"name": "input", "shape": []int{3, 4}, "datatype": "FP32", "data": nested}}})
	status, body := do(t, s, "POST", "/v2/models/model/infer", "", string(b))
	a := decodeV2(t, body)
	if status != 200 || a.ID != "req-7" {
		t.Fatalf("nested: %d %s", status, body)
	}
	checkV2(t, m, X, a, []string{"label", "probabilities"})
	status, body = do(t, s, "POST", "/v2/models/model/infer", "", `{"inputs":[{"name":"input","shape":[0,4],"datatype":"FP32","data":[]}]}`)
	if want := `"outputs":[{"name":"label","datatype":"BYTES","shape":[0],"data":[]},{"name":"probabilities","datatype":"FP32","shape":[0,3],"data":[]}]`; status != 200 || !strings.Contains(string(body), want) {
		t.Errorf("zero rows: %d %s; want 200 with %s", status, body, want)
	}
}

func TestPredictRows(t *testing.T) {
	m := classifier(t, 3)
	s, _ := newServer(t, m, Options{Name: "iris"})
	X := testRows(5, 9)
	P, _ := m.Predict(X)
	pred := data.Argmax(P)

	// JSON rows by name, in any key order, with extra keys ignored.
	var rows []map[string]any
	for i := range X.Rows() {
		r := map[string]any{"species": "?"}
		for j, f := range irisFeatures {
			r[f] = X.At(i, j)
		}
		rows = append(rows, r)
	}
	b, _ := json.Marshal(rows)
	status, body := do(t, s, "POST", "/predict", "application/json", string(b))
	var got struct {
		ModelName    string              `json:"model_name"`
		ModelVersion string              `json:"model_version"`
		Predictions  []map[string]string `json:"predictions"`
	}
	if err := json.Unmarshal(body, &got); status != 200 || err != nil {
		t.Fatalf("/predict: %d %s (%v)", status, body, err)
	}
	if got.ModelName != "iris" || got.ModelVersion != s.Version() || len(got.Predictions) != 5 {
		t.Fatalf("/predict: %s", body)
	}
	for i, p := range got.Predictions {
		if p["species"] != m.Classes[pred[i]] {
			t.Errorf("row %d: %v; want species %s", i, p, m.Classes[pred[i]])
		}
	}

	// Rows as arrays, probabilities, CSV out: nerve predict --proba's text.
	var arrays [][]float64
	for i := range X.Rows() {
		arrays = append(arrays, X.Row(i))
	}
	b, _ = json.Marshal(arrays)
	status, body = do(t, s, "POST", "/predict?proba=true", "application/json", string(b), "Accept", "text/csv")
	var want bytes.Buffer
	if err := WritePredictions(&want, m, P, true); err != nil {
		t.Fatal(err)
	}
	if status != 200 || string(body) != want.String() {
		t.Errorf("/predict?proba=true as CSV: %d\n%s\nwant\n%s", status, body, want.String())
	}

	// A CSV body with the target column and the features in another order.
	var csv strings.Builder
	csv.WriteString("petal_width,species,sepal_length,petal_length,sepal_width\n")
	for i := range X.Rows() {
		fmt.Fprintf(&csv, "%v,%s,%v,%v,%v\n", X.At(i, 3), m.Classes[i%2], X.At(i, 0), X.At(i, 2), X.At(i, 1))
	}
	status, body = do(t, s, "POST", "/predict", "text/csv", csv.String(), "Accept", "text/csv, application/json")
	want.Reset()
	WritePredictions(&want, m, P, false) //nolint:errcheck // a bytes.Buffer
	if status != 200 || string(body) != want.String() {
		t.Errorf("/predict CSV: %d\n%s\nwant\n%s", status, body, want.String())
	}
	// JSON answer with probabilities as numbers.
	_, body = do(t, s, "POST", "/predict?proba=1", "text/csv", csv.String())
	var probs struct{ Predictions []map[string]float64 }
	if err := json.Unmarshal(body, &probs); err != nil || len(probs.Predictions) != 5 {
		t.Fatalf("/predict?proba=1: %s (%v)", body, err)
	}
	for i, p := range probs.Predictions {
		for k, c := range m.Classes {
			if p[c] != P.At(i, k) {
				t.Errorf("row %d %s: %v; want %v", i, c, p[c], P.At(i, k))
			}
		}
	}

	// Integer labels answer as JSON numbers; a regressor's values too.
	ic, _ := newServer(t, intClassifier(t), Options{})
	if status, body := do(t, ic, "POST", "/predict", "", `[[1,2,3]]`); status != 200 || !regexp.MustCompile(`"prediction":-?\d+}`).Match(body) {
		t.Errorf("int labels: %d %s", status, body)
	}
	rm := regressor(t)
	rs, _ := newServer(t, rm, Options{})
	RP, _ := rm.Predict(tensor.New(1, 3, []float64{1, 2, 3}))
	wantJSON := fmt.Sprintf(`"predictions":[{"output1":%s,"output2":%s}]`, strconv.FormatFloat(RP.At(0, 0), 'g', -1, 64), strconv.FormatFloat(RP.At(0, 1), 'g', -1, 64))
	if status, body := do(t, rs, "POST", "/predict", "", `[{"c":3,"a":1,"b":2}]`); status != 200 || !strings.Contains(string(body), wantJSON) {
		t.Errorf("regressor: %d %s; want %s", status, body, wantJSON)
	}
}

func TestBadRequests(t *testing.T) {
	s, _ := newServer(t, classifier(t, 1), Options{Name: "iris", MaxBody: 4096, MaxRows: 10})
	r, _ := newServer(t, regressor(t), Options{Name: "reg"})
	ic, _ := newServer(t, intClassifier(t), Options{})
	infer := func(in string) string { return `{"inputs":[` + in + `]}` }
	big := infer(`{"name":"input","shape":[1000,4],"datatype":"FP32","data":[` + strings.Repeat("1,", 3999) + `1]}`)
	tests := []struct {
		name        string
		h           http.Handler
		method      string
		path, ctype string
		body        string
		status      int
		want        string // a substring of the error message
	}{
		{"malformed JSON", s, "POST", "/v2/models/iris/infer", "", `{"inputs":[`, 400, "body: malformed JSON"},
		{"inputs not an array", s, "POST", "/v2/models/iris/infer", "", `{"inputs":{}}`, 400, "inputs: JSON object where"},
		{"no inputs", s, "POST", "/v2/models/iris/infer", "", `{}`, 400, `inputs: 0 tensors, want exactly one named "input"`},
		{"wrong input name", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}`), 400, `inputs[0].name: "x"`},
		{"wrong datatype", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[1,4],"datatype":"INT8","data":[1,2,3,4]}`), 400, `inputs[0].datatype: "INT8"`},
		{"shape not 2-d", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[4],"datatype":"FP32","data":[1,2,3,4]}`), 400, "inputs[0].shape: [4] has 1 dimensions"},
		{"wrong feature count", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[1,3],"datatype":"FP32","data":[1,2,3]}`), 400, "inputs[0].shape: [1 3] has 3 features per row, the model has 4"},
		{"negative rows", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[-1,4],"datatype":"FP32","data":[1,2,3,4]}`), 400, "inputs[0].shape: [-1 4]: negative rows"},
		{"shape does not match data", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[2,4],"datatype":"FP32","data":[1,2,3,4]}`), 400, "inputs[0].data: 4 values, but shape [2 4] holds 8"},
		{"no data", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[1,4],"datatype":"FP32"}`), 400, "inputs[0].data: missing"},
		{"string in data", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,"2",3,4]}`), 400, `inputs[0].data: value 1: "\"2\",3,4]" at byte 3 where a number was expected`},
		{"non-finite value", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,1e999,4]}`), 400, "inputs[0].data: value 2: 1e999 is not a finite number"},
		{"NaN value", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,NaN,4]}`), 400, "body: malformed JSON"},
		{"unknown output", s, "POST", "/v2/models/iris/infer", "", `{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"label"},{"name":"logits"}]}`, 400, `outputs[1].name: "logits" is not an output`},
		{"too many rows", s, "POST", "/v2/models/iris/infer", "", infer(`{"name":"input","shape":[11,4],"datatype":"FP32","data":[]}`), 400, "inputs[0].shape: 11 rows, more than the limit of 10"},
		{"body too large", s, "POST", "/v2/models/iris/infer", "", big, 413, "body: "},
		{"unknown model", s, "POST", "/v2/models/mnist/infer", "", infer(`{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}`), 404, `model: no model named "mnist"`},
		{"unknown model metadata", s, "GET", "/v2/models/mnist", "", "", 404, `model: no model named "mnist"`},
		{"unknown version", s, "GET", "/v2/models/iris/versions/7/ready", "", "", 404, `version: model "iris" has no version "7"`},
		{"unknown path", s, "GET", "/v3/models", "", "", 404, "no endpoint /v3/models"},
		{"wrong method", s, "GET", "/v2/models/iris/infer", "", "", 405, "method: GET is not allowed"},
		{"wrong method predict", s, "PUT", "/predict", "", "[]", 405, "method: PUT is not allowed"},
		{"predict malformed JSON", s, "POST", "/predict", "application/json", `[{"sepal_length":}]`, 400, "body: malformed JSON"},
		{"predict not an array", s, "POST", "/predict", "application/json", `{"sepal_length":1}`, 400, "body: JSON object where"},
		{"predict missing feature", s, "POST", "/predict", "application/json", `[{"sepal_length":1,"sepal_width":2,"petal_length":3,"petal_width":4},{"sepal_length":1,"sepal_width":2,"petal_width":4}]`, 400, "rows[1].petal_length: missing"},
		{"predict string value", s, "POST", "/predict", "application/json", `[{"sepal_length":1,"sepal_width":"2","petal_length":3,"petal_width":4}]`, 400, `rows[0].sepal_width: "2" is not a number`},
		{"predict null value", s, "POST", "/predict", "application/json", `[{"sepal_length":1,"sepal_width":null,"petal_length":3,"petal_width":4}]`, 400, `rows[0].sepal_width: null is not a number`},
		{"predict non-finite", s, "POST", "/predict", "application/json", `[{"sepal_length":1,"sepal_width":2,"petal_length":-1e400,"petal_width":4}]`, 400, `rows[0].petal_length: -1e400 is not a finite number`},
		{"predict wrong row width", s, "POST", "/predict", "application/json", `[[1,2,3,4],[1,2,3]]`, 400, "rows[1]: 3 values, the model has 4 features"},
		{"predict row kind", s, "POST", "/predict", "application/json", `[[1,2,3,4],"x"]`, 400, "rows[1]: a JSON string"},
		{"predict names without names", ic, "POST", "/predict", "application/json", `[{"a":1}]`, 400, "rows[0]: the model's features have no names"},
		{"predict too many rows", s, "POST", "/predict", "application/json", "[" + strings.TrimSuffix(strings.Repeat("[1,2,3,4],", 11), ",") + "]", 400, "rows: 11 rows, more than the limit of 10"},
		{"predict CSV missing column", s, "POST", "/predict", "text/csv", "a,b,c\n1,2,3\n", 400, `body: no column named "sepal_length", a feature the model was trained on`},
		{"predict CSV wrong width", s, "POST", "/predict", "text/csv", "1,2,3\n4,5,6\n", 400, "body: 3 feature columns, the model has 4 (sepal_length, sepal_width, petal_length, petal_width)"},
		{"predict CSV bad cell", s, "POST", "/predict", "text/csv", "sepal_length,sepal_width,petal_length,petal_width\n1,2,x,4\n", 400, "petal_length"},
		{"predict CSV non-finite", s, "POST", "/predict", "text/csv", "sepal_length,sepal_width,petal_length,petal_width\n1,2,-Inf,4\n", 400, `body:2:3 (petal_length): "-Inf" is infinite`},
		{"predict CSV missing", s, "POST", "/predict", "text/csv", "sepal_length,sepal_width,petal_length,petal_width\n1,2,NaN,4\n", 400, `body:2:3 (petal_length): "NaN" marks a missing value`},
		{"predict CSV too many rows", s, "POST", "/predict", "text/csv", strings.Repeat("1,2,3,4\n", 11), 400, "body: 11 rows, more than the limit of 10"},
		{"predict content type", s, "POST", "/predict", "application/xml", "<rows/>", 415, `Content-Type: "application/xml"`},
		{"predict proba regressor", r, "POST", "/predict?proba=true", "", "[[1,2,3]]", 400, `proba: applies to classifiers; model "reg" is a regressor`},
		{"predict proba not bool", s, "POST", "/predict?proba=maybe", "", "[[1,2,3,4]]", 400, `proba: "maybe" is not true or false`},
		{"predict body too large", s, "POST", "/predict", "text/csv", strings.Repeat("1,2,3,4\n", 600), 413, "body: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, tt.h, tt.method, tt.path, tt.ctype, tt.body)
			var e errorBody
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&e); err != nil {
				t.Fatalf("%d %s: not {\"error\": ...}: %v", status, body, err)
			}
			if status != tt.status || !strings.Contains(e.Error, tt.want) {
				t.Errorf("%d %q; want %d with %q", status, e.Error, tt.status, tt.want)
			}
		})
	}
}

// TestConcurrentOwnRows sends 64 clients' requests at once, each with
// rows of its own, and checks that every client gets exactly its own
// rows' predictions back, and that batches of more than one request
// were formed.
func TestConcurrentOwnRows(t *testing.T) {
	m := classifier(t, 4)
	s, _ := newServer(t, m, Options{MaxBatch: 32, BatchWait: 2e6})
	const clients, requests = 64, 4
	var wg sync.WaitGroup
	errs := make(chan error, clients*requests)
	for c := range clients {
		wg.Go(func() {
			for r := range requests {
				X := testRows(1+(c+r)%5, uint32(1000*c+r))
				status, body := do(t, s, "POST", "/v2/models/model/infer", "", inferBody(X))
				if status != 200 {
					errs <- fmt.Errorf("client %d request %d: %d %s", c, r, status, body)
					continue
				}
				var a v2Answer
				if err := json.Unmarshal(body, &a); err != nil {
					errs <- err
					continue
				}
				P, _ := m.Predict(X)
				probs := a.Outputs[1].Data
				if len(probs) != len(P.Data()) {
					errs <- fmt.Errorf("client %d request %d: %d probabilities; want %d", c, r, len(probs), len(P.Data()))
					continue
				}
				for k, d := range probs {
					if got, _ := strconv.ParseFloat(string(d), 32); got != float64(float32(P.Data()[k])) {
						errs <- fmt.Errorf("client %d request %d: probability %d = %s; want %v", c, r, k, d, float32(P.Data()[k]))
						break
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	_, metrics := do(t, s, "GET", "/metrics", "", "")
	count, sum := histogram(t, metrics, "nerve_serve_batch_rows")
	if count == 0 || sum/count <= 1.5 {
		t.Errorf("%v batches of %v rows in all: want batches of several requests", count, sum)
	}
	t.Logf("%v batches, %.1f rows on average", count, sum/count)
}

// histogram returns a Prometheus histogram's _count and _sum from a
// /metrics answer.
func histogram(t testing.TB, metrics []byte, name string) (count, sum float64) {
	t.Helper()
	for _, line := range strings.Split(string(metrics), "\n") {
		for suffix, p := range map[string]*float64{"_count ": &count, "_sum ": &sum} {
			if v, ok := strings.CutPrefix(line, name+suffix); ok {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("%s: %v", line, err)
				}
				*p = f
			}
		}
	}
	return count, sum
}

func TestMetrics(t *testing.T) {
	s, _ := newServer(t, classifier(t, 1), Options{})
	do(t, s, "POST", "/v2/models/model/infer", "", inferBody(testRows(3, 1)))
	do(t, s, "POST", "/v2/models/other/infer", "", "{}")
	_, body := do(t, s, "GET", "/metrics", "", "")
	for _, want := range []string{
		`nerve_serve_requests_total{code="200",handler="infer"} 1`,
		`nerve_serve_requests_total{code="404",handler="infer"} 1`,
		`nerve_serve_request_duration_seconds_count{handler="infer"} 2`,
		`nerve_serve_batch_rows_sum 3`,
		`nerve_serve_rows_total 3`,
		`nerve_serve_in_flight_requests 1`, // this request
		`nerve_serve_reloads_total{result="error"} 0`,
		`go_goroutines `,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestReload(t *testing.T) {
	a, b := classifier(t, 1), classifier(t, 2)
	s, path := newServer(t, a, Options{})
	X := testRows(4, 5)
	answer := func() v2Answer {
		_, body := do(t, s, "POST", "/v2/models/model/infer", "", inferBody(X))
		return decodeV2(t, body)
	}
	v1 := s.Version()
	checkV2(t, a, X, answer(), []string{"label", "probabilities"})

	save(t, t.TempDir(), "x", b) // a different file
	if err := model.Save(path, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	v2 := s.Version()
	got := answer()
	if v2 == v1 || got.ModelVersion != v2 {
		t.Fatalf("after reload: versions %s, %s, answer from %s", v1, v2, got.ModelVersion)
	}
	checkV2(t, b, X, got, []string{"label", "probabilities"})

	// A broken file keeps the model serving, and Reload says why.
	if err := os.WriteFile(path, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := s.Reload()
	if !errors.Is(err, ErrModel) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Reload of a broken file: %v; want an ErrModel naming %s", err, path)
	}
	if s.Version() != v2 {
		t.Fatalf("a broken file replaced the model")
	}
	checkV2(t, b, X, answer(), []string{"label", "probabilities"})

	// A model of another shape is fine: later requests are checked
	// against it.
	if err := model.Save(path, regressor(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if status, body := do(t, s, "POST", "/v2/models/model/infer", "", inferBody(X)); status != 400 || !strings.Contains(string(body), "the model has 3") {
		t.Errorf("old-shape request after reload: %d %s", status, body)
	}
}

func TestClosed(t *testing.T) {
	for _, mb := range []int{1, 64} {
		s, _ := newServer(t, classifier(t, 1), Options{MaxBatch: mb})
		s.Close()
		if status, body := do(t, s, "POST", "/v2/models/model/infer", "", inferBody(testRows(1, 1))); status != 503 || !strings.Contains(string(body), "shutting down") {
			t.Errorf("max batch %d, after Close: %d %s; want 503", mb, status, body)
		}
	}
}

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"empty.nerve": "", "junk.nerve": "NERVE but not really"} {
		p := dir + "/" + name
		os.WriteFile(p, []byte(content), 0o644) //nolint:errcheck // checked by New below
		if _, err := New(p, Options{}); !errors.Is(err, ErrModel) || !strings.Contains(err.Error(), name) {
			t.Errorf("New(%s): %v; want an ErrModel naming the file", name, err)
		}
	}
	if _, err := New(dir+"/missing.nerve", Options{}); !errors.Is(err, ErrModel) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("New(missing): %v; want ErrModel and os.ErrNotExist", err)
	}
}

func TestParseNumbers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []float64
		err  string
	}{
		{"[]", nil, ""},
		{" [ 1 , -2.5e1,3 ] ", []float64{1, -25, 3}, ""},
		{"[[1,2],[3,4]]", []float64{1, 2, 3, 4}, ""},
		{"[[1,[2]],[]]", []float64{1, 2}, ""},
		{"[1,]", nil, `value 1: "]" at byte 3 where a number was expected`},
		{"[1 2]", nil, `"2]" at byte 3 where ',' or ']' was expected`},
		{"[1", nil, "the data end where ',' or ']' was expected"},
		{"1", nil, `"1" at byte 0 where an array was expected`},
		{"[1] x", nil, `unexpected 'x' after the array`},
		{"[1e999]", nil, "value 0: 1e999 is not a finite number"},
		{"[0x10]", nil, `"x10]" at byte 2 where ',' or ']' was expected`},
		{"[1-2]", nil, "value 0: 1-2 is not a finite number"},
		{"[true]", nil, `value 0: "true]" at byte 1 where a number was expected`},
		{strings.Repeat("[", 40) + strings.Repeat("]", 40), nil, "nested more than 32 deep"},
	} {
		got, err := parseNumbers([]byte(tt.in), nil)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseNumbers(%q): %v; want an error with %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("parseNumbers(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if got, err := parseNumbers([]byte("[0.1]"), nil); err != nil || got[0] != 0.1 || math.Signbit(got[0]) {
		t.Errorf("parseNumbers([0.1]) = %v, %v", got, err)
	}
}

// TestAllocationBoundedByBody sends small bodies that claim many rows:
// the server must not allocate for the claim.
func TestAllocationBoundedByBody(t *testing.T) {
	wide := mnistModelT(t)
	s, _ := newServer(t, wide, Options{MaxRows: 100_000})
	for _, tt := range []struct{ name, path, body string }{
		{"V2 shape", "/v2/models/model/infer", `{"inputs":[{"name":"input","shape":[100000,784],"datatype":"FP32","data":[1,2,3]}]}`},
		{"rows", "/predict", "[" + strings.TrimSuffix(strings.Repeat("[],", 20000), ",") + "]"},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		status, body := do(t, s, "POST", tt.path, "", tt.body)
		runtime.ReadMemStats(&after)
		if status != 400 {
			t.Errorf("%s: %d %s; want 400", tt.name, status, body)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 64*uint64(len(tt.body))+1<<20 {
			t.Errorf("%s: a %d-byte body made the server allocate %d bytes", tt.name, len(tt.body), got)
		}
	}
}

// TestServeTableModel: a model trained on a raw table answers a raw CSV
// body (missing cells, missing-cell tokens, an unseen category) as
// PredictTable does, and refuses JSON rows and V2 requests in one line
// saying to send CSV.
func TestServeTableModel(t *testing.T) {
	var rows [][]string
	for i := range 40 {
		colour := []string{"red", "blue", "", "green"}[i%4]
		rows = append(rows, []string{colour, strconv.Itoa(i % 7), []string{"a", "b"}[i%2]})
	}
	tb, err := data.NewTable("t", []string{"colour", "size", "y"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	clf := nerve.NewClassifier[string](nerve.Options{Epochs: 2})
	if _, err := clf.FitTable(context.Background(), tb, data.PrepOptions{Target: "y"}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "table.nerve")
	if err := clf.Save(p); err != nil {
		t.Fatal(err)
	}
	s, err := New(p, Options{})
	if err != nil {
		t.Fatalf("New(a table model): %v", err)
	}
	defer s.Close()
	m, err := model.Load[float32](p)
	if err != nil {
		t.Fatal(err)
	}
	const csv = "size,colour,extra\n3,red,x\nNA,,y\n5,purple,z\n,N/a,w\n"
	raw, err := data.ReadTable(strings.NewReader(csv), "raw", data.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	P, rep, err := m.PredictTable(raw)
	if err != nil || rep.Total() != 1 {
		t.Fatalf("PredictTable: %v, %d unseen; want 1", err, rep.Total())
	}
	for _, proba := range []bool{false, true} {
		var want bytes.Buffer
		if err := WritePredictions(&want, m, P, proba); err != nil {
			t.Fatal(err)
		}
		status, body := do(t, s, "POST", "/predict?proba="+strconv.FormatBool(proba), "text/csv", csv, "Accept", "text/csv")
		if status != 200 || string(body) != want.String() {
			t.Errorf("proba %v: %d %s; want 200 %s", proba, status, body, want.String())
		}
	}
	for _, c := range []struct{ path, ct, body, want string }{
		{"/predict", "application/json", `[{"colour": "red", "size": 3}]`, `rows: the model takes raw table rows`},
		{"/v2/models/table/infer", "application/json", inferBody(tensor.New(1, m.Network.Inputs(), make([]float64, m.Network.Inputs()))), `inputs: the model takes raw table rows`},
		{"/predict", "text/csv", "colour\nred\n", `body (size): the column is missing, and the model needs it`},
		{"/predict", "text/csv", "size,colour\ninf,red\n", `body:2:1 (size): \"inf\" is infinite`},
	} {
		status, body := do(t, s, "POST", c.path, c.ct, c.body)
		if status != 400 || !strings.Contains(string(body), c.want) || bytes.Count(body, []byte("\n")) > 1 {
			t.Errorf("%s %s: %d %s; want 400 with %q", c.path, c.body, status, body, c.want)
		}
	}
}
