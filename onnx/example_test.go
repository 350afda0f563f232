package onnx_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/onnx"
	"github.com/nerve-ml/nerve/tensor"
)

// A two-feature classifier with one softmax layer, written by hand.
func classifier() *model.Model[float32] {
	net := &nn.Network[float32]{Loss: loss.CrossEntropy, Layers: []*nn.Layer[float32]{{
		W:          tensor.New(2, 2, []float32{1, -1, -1, 1}), // inputs×outputs
		B:          tensor.New(1, 2, []float32{0, 0}),
		Activation: activation.Softmax,
	}}}
	return &model.Model[float32]{
		Network: net, Task: model.Classification,
		Classes: []string{"cold", "hot"}, LabelType: model.LabelString,
		Features: []string{"ice", "sun"},
		Scaler:   &data.Scaler{Mean: []float64{5, 5}, Scale: []float64{2, 2}},
	}
}

// Export writes the model as ONNX; Import reads it back, here the same
// model, whose file is identical to the original's.
func ExampleExport() {
	m := classifier()
	var buf bytes.Buffer
	if err := onnx.Export(&buf, m, onnx.Options{}); err != nil {
		log.Fatal(err)
	}
	back, err := onnx.Import(&buf)
	if err != nil {
		log.Fatal(err)
	}
	var a, b bytes.Buffer
	m.WriteTo(&a)
	back.WriteTo(&b)
	fmt.Println("identical model file:", bytes.Equal(a.Bytes(), b.Bytes()))
	// Output:
	// identical model file: true
}

// Import returns a *model.Model[float32] or *model.Model[float64], as
// the graph's tensors are; both predict from float64 samples.
func ExampleImport() {
	var buf bytes.Buffer
	if err := onnx.Export(&buf, classifier(), onnx.Options{Opset: 17}); err != nil {
		log.Fatal(err)
	}
	m, err := onnx.Import(&buf)
	if err != nil {
		log.Fatal(err)
	}
	P, err := m.Predict(tensor.New(2, 2, []float64{9, 1, 3, 7})) // standardised: (2, −2), (−1, 1)
	if err != nil {
		log.Fatal(err)
	}
	cm := m.(*model.Model[float32])
	for i := range P.Rows() {
		fmt.Printf("%s %.3f\n", cm.Classes[data.Argmax(P)[i]], P.Row(i))
	}
	// Output:
	// cold [1.000 0.000]
	// hot [0.018 0.982]
}

// RuntimeNotes says when ONNX Runtime cannot run an export: here a
// float64 leaky ReLU at the default opset.
func ExampleRuntimeNotes() {
	m := classifier()
	hidden := &nn.Layer[float32]{W: tensor.New(2, 2, []float32{1, 0, 0, 1}), Activation: activation.LeakyReLU}
	m.Network.Layers = append([]*nn.Layer[float32]{hidden}, m.Network.Layers...)
	for _, opts := range []onnx.Options{{DType: "float64"}, {DType: "float64", Opset: 17}, {}} {
		fmt.Printf("%+v: %q\n", opts, onnx.RuntimeNotes(m, opts))
	}
	// Output:
	// {Opset:0 DType:float64}: ["ONNX Runtime 1.30 has no float64 LeakyRelu at opset 13 (layer 1): it runs one at opsets 16 to 18, or in float32"]
	// {Opset:17 DType:float64}: []
	// {Opset:0 DType:}: []
}

// A model trained on a raw table exports with its preprocessing: one
// graph input per column (string for a categorical column, float with NaN
// for a missing numeric cell). Import gives the same model back.
func ExampleExport_table() {
	t, err := data.ReadTable(strings.NewReader("sky,temp,feel\nsunny,30,hot\nrain,12,cold\n,25,hot\nsnow,NA,cold\n"), "weather.csv", data.TableOptions{})
	if err != nil {
		log.Fatal(err)
	}
	p, err := data.FitPreprocessing(t, data.PrepOptions{Target: "feel"})
	if err != nil {
		log.Fatal(err)
	}
	w := make([]float32, 2*p.Width())
	for k := range w {
		w[k] = float32(k%3) - 1
	}
	m := &model.Model[float32]{
		Network: &nn.Network[float32]{Loss: loss.CrossEntropy, Layers: []*nn.Layer[float32]{{
			W: tensor.New(p.Width(), 2, w), Activation: activation.Softmax,
		}}},
		Task: model.Classification, Classes: []string{"cold", "hot"}, LabelType: model.LabelString,
		Features: p.Features(), Target: "feel", Preprocessing: p,
	}
	var buf bytes.Buffer
	err = onnx.Export(&buf, m, onnx.Options{Opset: 21})
	var back onnx.Model
	if err == nil {
		back, err = onnx.Import(&buf)
	}
	if err != nil {
		log.Fatal(err)
	}
	bm := back.(*model.Model[float32])
	fmt.Print(bm.Preprocessing)
	// Categories match with case, missing-cell tokens without: "Snow"
	// is a category training never saw, NA a missing temperature.
	rows, _ := data.NewTable("new", []string{"temp", "sky"}, [][]string{{"31", "sunny"}, {"NA", "Snow"}})
	P, rep, err := bm.PredictTable(rows)
	fmt.Printf("%.3f %v %v\n", P.Data(), rep.Unseen, err)
	// Output:
	// sky: categorical, 3 categories (rain, snow, sunny), missing → (missing)
	// temp: numeric, missing → 25, (x − 23) / 6.67083
	// [0.802 0.198 0.646 0.354] map[sky:1] <nil>
}
