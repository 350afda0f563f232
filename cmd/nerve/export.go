package main

import (
	"context"
	"fmt"
	"io"

	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/onnx"
)

func exportAbout(w io.Writer) {
	fmt.Fprint(w, `Export writes a model as an ONNX file (IR version 7) that ONNX Runtime,
onnxruntime-web, Triton or ML.NET can run: one input "input" [N, features]
(a model trained on a raw table takes one input per column, named after
it: [N, 1] float with NaN for a missing cell, or string for a text
column, and imputes and one-hot encodes in the graph); the model's
standardisation, layers and activations; for a classifier the
outputs "label" and "probabilities", for a regressor "predictions" with
the target scaling undone. A float64 model is written in float32 unless
--dtype float64; a note says when ONNX Runtime cannot run the result
(float64 leaky ReLU outside opsets 16 to 18). "nerve import" reads the
file back.
`)
}

type exportConfig struct {
	model, out, dtype string
	opset             int
}

func defaultExportConfig() exportConfig {
	return exportConfig{opset: onnx.DefaultOpset, dtype: "float32"}
}

func (c *exportConfig) flags(f *flagSet) {
	f.String(&c.model, "model", "the model `FILE` written by nerve train")
	f.String(&c.out, "out", "write the ONNX model to `FILE` (- is standard output)")
	f.Var(intValue[int]{p: &c.opset, min: onnx.MinOpset, max: onnx.MaxOpset}, "opset", fmt.Sprintf("the ONNX opset `N` to write, %d to %d", onnx.MinOpset, onnx.MaxOpset))
	f.Var(choiceValue{p: &c.dtype, choices: []string{"float32", "float64"}}, "dtype", "the graph's float `TYPE`: float32 or float64")
}

func (c *exportConfig) run(_ context.Context, _ []string, stdout, stderr io.Writer) error {
	if err := checkModelOut("export", c.model, c.out); err != nil {
		return err
	}
	opts := onnx.Options{Opset: c.opset, DType: c.dtype}
	h, file, err := readModelFile(c.model)
	if err != nil {
		return err
	}
	if h.DType == "float64" {
		return exportModel[float64](c.model, file, c.out, opts, stdout, stderr)
	}
	return exportModel[float32](c.model, file, c.out, opts, stdout, stderr)
}

// exportModel exports the model file in, whose bytes are file, to out
// and prints, as notes on stderr, what ONNX Runtime cannot run in it.
func exportModel[T float32 | float64](in string, file io.Reader, out string, opts onnx.Options, stdout, stderr io.Writer) error {
	m, err := model.Read[T](file)
	if err != nil {
		return namedModelError(in, err)
	}
	if err := writeOutput(out, stdout, func(w io.Writer) error { return onnx.Export(w, m, opts) }); err != nil {
		return fmt.Errorf("export %s: %w", in, err)
	}
	for _, note := range onnx.RuntimeNotes(m, opts) {
		fmt.Fprintf(stderr, "nerve: note: %s\n", note)
	}
	return nil
}
