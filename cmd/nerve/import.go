package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/nerve-ml/nerve/onnx"
)

func importAbout(w io.Writer) {
	fmt.Fprint(w, `Import reads an ONNX file written by "nerve export", or by PyTorch's
torch.onnx.export of an nn.Sequential of Linear layers and activations
(ReLU, sigmoid, tanh, leaky ReLU with slope 0.01, softmax), and writes it
as a nerve model file in the graph's precision. Anything else is refused
with one line naming the node, its operator and why. A file from nerve
export gives back the exported model.
`)
}

type importConfig struct {
	model, out string
}

func (c *importConfig) flags(f *flagSet) {
	f.String(&c.model, "model", "the ONNX `FILE` to read")
	f.String(&c.out, "out", "write the nerve model to `FILE` (- is standard output)")
}

func (c *importConfig) run(_ context.Context, _ []string, stdout, _ io.Writer) error {
	if err := checkModelOut("import", c.model, c.out); err != nil {
		return err
	}
	in, err := os.Open(c.model)
	if err != nil {
		return err
	}
	defer in.Close()
	m, err := onnx.Import(in)
	if err != nil {
		return fmt.Errorf("%s: %w", c.model, err)
	}
	return writeOutput(c.out, stdout, func(w io.Writer) error {
		_, err := m.WriteTo(w)
		return err
	})
}
