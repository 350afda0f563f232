package onnx

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math"
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

// net builds a network with random weights and biases.
func net[T tensor.Float](t testing.TB, seed uint32, inputs int, lk loss.Kind, layers ...nn.LayerSpec) *nn.Network[T] {
	t.Helper()
	n, err := nn.New[T](nn.Config{Inputs: inputs, Layers: layers, Loss: lk, BiasInit: nn.GlorotUniform}, rng.New(seed))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func dense(units int, k activation.Kind) nn.LayerSpec {
	return nn.LayerSpec{Units: units, Activation: k}
}

func scaler(seed uint32, n int) *data.Scaler {
	src := rng.New(seed)
	s := &data.Scaler{Mean: make([]float64, n), Scale: make([]float64, n)}
	for j := range n {
		s.Mean[j] = src.Uniform(-3, 3)
		s.Scale[j] = src.Uniform(0.2, 4)
	}
	return s
}

// testModels are models of every shape Export handles, in precision T.
func testModels[T tensor.Float](t testing.TB) map[string]*model.Model[T] {
	return map[string]*model.Model[T]{
		"iris-like softmax, string labels": {
			Network: net[T](t, 1, 4, loss.CrossEntropy, dense(8, activation.Tanh), dense(3, activation.Softmax)),
			Task:    model.Classification, Classes: []string{"setosa", "versicolor", "virginica"}, LabelType: model.LabelString,
			Features: []string{"sepal length", "sepal width", "petal length", "petal width"}, Target: "species",
			Scaler: scaler(2, 4), Training: json.RawMessage(`{"epochs": 10, "lr": 0.01}`),
			Metrics: map[string]float64{"test_accuracy": 0.96},
		},
		"int labels, relu and leaky relu": {
			Network: net[T](t, 3, 5, loss.CrossEntropy, dense(7, activation.ReLU), dense(6, activation.LeakyReLU), dense(4, activation.Softmax)),
			Task:    model.Classification, Classes: []string{"-3", "0", "7", "12"}, LabelType: model.LabelInt,
			Scaler: scaler(4, 5),
		},
		"single sigmoid": {
			Network: net[T](t, 5, 3, loss.BinaryCrossEntropy, dense(4, activation.Sigmoid), dense(1, activation.Sigmoid)),
			Task:    model.Classification,
		},
		"regressor with target scaling": {
			Network: net[T](t, 6, 3, loss.MSE, dense(5, activation.LeakyReLU), dense(2, activation.Identity)),
			Task:    model.Regression, Target: "y", Scaler: scaler(7, 3), TargetScaler: scaler(8, 2),
		},
		"no metadata, layer without bias": {
			Network: net[T](t, 9, 2, loss.SSE, nn.LayerSpec{Units: 3, Activation: activation.Tanh, NoBias: true}, dense(1, activation.Identity)),
		},
	}
}

func modelFile(t testing.TB, m Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func export[T tensor.Float](t testing.TB, m *model.Model[T], opts Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Export(&b, m, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTripIdenticalFile(t *testing.T) {
	t.Run("float32", func(t *testing.T) { roundTrip[float32](t, "") })
	t.Run("float64", func(t *testing.T) { roundTrip[float64](t, "float64") })
}

func roundTrip[T tensor.Float](t *testing.T, dtype string) {
	models := testModels[T](t)
	maps.Copy(models, tableModels[T](t))
	for name, m := range models {
		for _, opset := range []int{13, 17, 21} {
			b := export(t, m, Options{Opset: opset, DType: dtype})
			got, err := Import(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s, opset %d: %v", name, opset, err)
			}
			if _, ok := got.(*model.Model[T]); !ok {
				t.Fatalf("%s: Import returned %T, want *model.Model[%s]", name, got, dtype)
			}
			if !bytes.Equal(modelFile(t, got), modelFile(t, m)) {
				t.Errorf("%s, opset %d: the imported model's file differs from the original's:\n%s\nwant\n%s", name, opset, got.Summary(), m.Summary())
			}
		}
	}
}

// TestImportWithoutNerveMetadata drops the metadata: the graph alone
// gives the network, scalers and (through the Gather) classes.
func TestImportWithoutNerveMetadata(t *testing.T) {
	X := tensor.New(3, 5, []float64{0.5, -1, 2, 3, 0, 1, 1, 1, 1, 1, -2, 4, 0.25, 0, 9})
	for name, m := range testModels[float32](t) {
		mp, err := decodeModel(export(t, m, Options{}))
		if err != nil {
			t.Fatal(err)
		}
		mp.metadata = nil
		got, err := Import(bytes.NewReader(mp.encode()))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		gm := got.(*model.Model[float32])
		if m.Classes != nil && (!equal(gm.Classes, m.Classes) || gm.LabelType != m.LabelType) {
			t.Errorf("%s: classes %q (%s), want %q (%s)", name, gm.Classes, gm.LabelType, m.Classes, m.LabelType)
		}
		x := tensor.New(3, m.Network.Inputs(), X.Data()[:3*m.Network.Inputs()])
		want, err := m.Predict(x)
		if err != nil {
			t.Fatal(err)
		}
		p, err := got.Predict(x)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(p.Data(), want.Data()); d > 1e-5 {
			t.Errorf("%s: predictions differ by %g", name, d)
		}
	}
}

func equal(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

func maxDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func TestFloat64ModelExportsAsFloat32(t *testing.T) {
	m := testModels[float64](t)["regressor with target scaling"]
	got, err := Import(bytes.NewReader(export(t, m, Options{})))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := got.(*model.Model[float32])
	if !ok {
		t.Fatalf("Import gave %T, want *model.Model[float32]", got)
	}
	for i, l := range g.Network.Layers {
		for k, v := range l.W.Data() {
			if w := float32(m.Network.Layers[i].W.Data()[k]); v != w {
				t.Fatalf("layer %d W[%d] = %v, want %v (rounded to float32)", i+1, k, v, w)
			}
		}
	}
	if !equalFloats(g.TargetScaler.Mean, m.TargetScaler.Mean) {
		t.Errorf("target scaler %v, want the header's exact %v", g.TargetScaler.Mean, m.TargetScaler.Mean)
	}
}

func equalFloats(a, b []float64) bool {
	return len(a) == len(b) && maxDiff(a, b) == 0
}

// TestExportGraph checks the graph Export writes against the issue's
// description, field by field.
func TestExportGraph(t *testing.T) {
	models := testModels[float32](t)
	cases := []struct {
		name     string
		opts     Options
		ops      []string
		outputs  []string
		elem     int64
		labelTyp int64
	}{
		{"iris-like softmax, string labels", Options{}, []string{"Sub", "Div", "Gemm", "Tanh", "Gemm", "Softmax", "ArgMax", "Gather"}, []string{"label", "probabilities"}, typeFloat, typeString},
		{"int labels, relu and leaky relu", Options{Opset: 21, DType: "float64"}, []string{"Sub", "Div", "Gemm", "Relu", "Gemm", "LeakyRelu", "Gemm", "Softmax", "ArgMax", "Gather"}, []string{"label", "probabilities"}, typeDouble, typeInt64},
		{"single sigmoid", Options{}, []string{"Gemm", "Sigmoid", "Gemm", "Sigmoid", "Sub", "Concat", "ArgMax", "Gather"}, []string{"label", "probabilities"}, typeFloat, typeInt64},
		{"regressor with target scaling", Options{}, []string{"Sub", "Div", "Gemm", "LeakyRelu", "Gemm", "Mul", "Add"}, []string{"predictions"}, typeFloat, 0},
	}
	for _, c := range cases {
		mp, err := decodeModel(export(t, models[c.name], c.opts))
		if err != nil {
			t.Fatal(err)
		}
		opset := max(c.opts.Opset, 13)
		if mp.irVersion != 7 || len(mp.opsets) != 1 || mp.opsets[0].version != int64(opset) || mp.producerName != "nerve" {
			t.Errorf("%s: IR %d, opsets %v, producer %q; want 7, [{\"\" %d}], nerve", c.name, mp.irVersion, mp.opsets, mp.producerName, opset)
		}
		var ops []string
		for _, n := range mp.graph.nodes {
			ops = append(ops, n.opType)
			for _, a := range n.attrs {
				switch {
				case n.opType == "Gemm":
					t.Errorf("%s: Gemm has attribute %s; want the defaults (transB 0)", c.name, a.name)
				case n.opType == "LeakyRelu" && a.f != 0.01:
					t.Errorf("%s: LeakyRelu alpha %v, want 0.01", c.name, a.f)
				case n.opType == "Softmax" && a.i != 1, n.opType == "ArgMax" && a.name == "axis" && a.i != 1, n.opType == "ArgMax" && a.name == "keepdims" && a.i != 0:
					t.Errorf("%s: %s %s = %d", c.name, n.opType, a.name, a.i)
				}
			}
		}
		if strings.Join(ops, " ") != strings.Join(c.ops, " ") {
			t.Errorf("%s: ops %v, want %v", c.name, ops, c.ops)
		}
		in := mp.graph.inputs
		if len(in) != 1 || in[0].name != "input" || in[0].elemType != c.elem || len(in[0].dims) != 2 || in[0].dims[0].param != "N" || in[0].dims[0].known {
			t.Errorf("%s: input %+v, want input [N, features] of type %d", c.name, in[0], c.elem)
		}
		var outs []string
		for _, o := range mp.graph.outputs {
			outs = append(outs, o.name)
			want := c.elem
			if o.name == "label" {
				want = c.labelTyp
			}
			if o.elemType != want || o.dims[0].param != "N" {
				t.Errorf("%s: output %s has type %d, dims %+v; want type %d, [N, ...]", c.name, o.name, o.elemType, o.dims, want)
			}
		}
		if strings.Join(outs, " ") != strings.Join(c.outputs, " ") {
			t.Errorf("%s: outputs %v, want %v", c.name, outs, c.outputs)
		}
		meta := map[string]string{}
		for _, kv := range mp.metadata {
			meta[kv.key] = kv.value
		}
		if meta[MetaVersion] == "" || meta[MetaModel] == "" {
			t.Errorf("%s: metadata %v lacks %s or %s", c.name, meta, MetaVersion, MetaModel)
		}
		if c.labelTyp != 0 && meta[MetaClasses] == "" {
			t.Errorf("%s: metadata %v lacks %s", c.name, meta, MetaClasses)
		}
	}
	mp, _ := decodeModel(export(t, models["iris-like softmax, string labels"], Options{}))
	for _, kv := range mp.metadata {
		if kv.key == MetaClasses && kv.value != `["setosa","versicolor","virginica"]` {
			t.Errorf("%s = %s", kv.key, kv.value)
		}
		if kv.key == MetaFeatures && kv.value != `["sepal length","sepal width","petal length","petal width"]` {
			t.Errorf("%s = %s", kv.key, kv.value)
		}
	}
}

func TestExportRefuses(t *testing.T) {
	m := testModels[float32](t)["single sigmoid"]
	for _, o := range []Options{{Opset: 12}, {Opset: 22}, {DType: "float16"}} {
		var b bytes.Buffer
		if err := Export(&b, m, o); !errors.Is(err, ErrExport) || b.Len() != 0 {
			t.Errorf("%+v: error %v, %d bytes written; want ErrExport and nothing", o, err, b.Len())
		}
	}
	bad := *m
	bad.Classes = []string{"only one"}
	if err := Export(&bytes.Buffer{}, &bad, Options{}); !errors.Is(err, nn.ErrConfig) {
		t.Errorf("invalid model: error %v, want nn.ErrConfig", err)
	}
}

func TestRuntimeNotes(t *testing.T) {
	ms := testModels[float64](t)
	leaky, plain := ms["int labels, relu and leaky relu"], ms["iris-like softmax, string labels"]
	for _, c := range []struct {
		m    *model.Model[float64]
		opts Options
		want string
	}{
		{leaky, Options{DType: "float64"}, "ONNX Runtime 1.30 has no float64 LeakyRelu at opset 13 (layer 2): it runs one at opsets 16 to 18, or in float32"},
		{leaky, Options{DType: "float64", Opset: 19}, "at opset 19 (layer 2)"},
		{leaky, Options{DType: "float64", Opset: 16}, ""},
		{leaky, Options{DType: "float64", Opset: 18}, ""},
		{leaky, Options{Opset: 21}, ""},
		{plain, Options{DType: "float64", Opset: 21}, ""},
		{leaky, Options{DType: "float64", Opset: 99}, ""},
	} {
		got := strings.Join(RuntimeNotes(c.m, c.opts), "\n")
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%+v: notes %q, want %q", c.opts, got, c.want)
		}
	}
}
