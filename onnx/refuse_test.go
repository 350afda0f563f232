package onnx

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

// TestImportRefuses edits valid graphs into ones Import must refuse, each
// with one line naming what is wrong, quickly and without a panic.
func TestImportRefuses(t *testing.T) {
	torch, err := os.ReadFile("testdata/torch/tanh_sigmoid_nobias.onnx") // Transpose MatMul Tanh Gemm Sigmoid
	if err != nil {
		t.Fatal(err)
	}
	nerve := export(t, testModels[float32](t)["int labels, relu and leaky relu"], Options{})
	cases := []struct {
		name string
		src  []byte
		edit func(*modelProto)
		want string
	}{
		{"unknown operator", nerve, func(m *modelProto) { m.graph.nodes[3].opType = "Conv" }, `node 3 "A1" (Conv): operator Conv is not part of an MLP`},
		{"leaky slope", nerve, func(m *modelProto) { m.graph.nodes[5].attrs[0].f = 0.2 }, `node 5 "A2" (LeakyRelu): alpha 0.2: nerve's leaky ReLU has slope 0.01`},
		{"transA", nerve, func(m *modelProto) { m.graph.nodes[2].attrs = []*attribute{intAttribute("transA", 1)} }, `node 2 "Z1" (Gemm): transA 1, want 0`},
		{"external data", nerve, func(m *modelProto) { m.graph.initializers[2].external = true }, `initializer 2 "W1": its data is stored outside the file (external data)`},
		{"other domain", nerve, func(m *modelProto) { m.graph.nodes[3].domain = "com.microsoft" }, `operator domain "com.microsoft"`},
		{"opset 8", nerve, func(m *modelProto) { m.opsets[0].version = 8 }, `default-domain opset 8, want 9 to 21`},
		{"two inputs", nerve, func(m *modelProto) { m.graph.inputs = append(m.graph.inputs, m.graph.inputs[0]) }, `2 inputs that are not initializers`},
		{"extra output", nerve, func(m *modelProto) { m.graph.outputs = append(m.graph.outputs, &valueInfo{name: "Z1"}) }, `graph outputs`},
		{"wrong bias size", nerve, func(m *modelProto) { m.graph.initializers[3].dims = []int64{7, 1} }, `bias "b1" has shape`},
		{"softmax axis", nerve, func(m *modelProto) { m.graph.nodes[7].attrs[0].i = 0 }, `(Softmax): axis 0`},
		{"empty transposed weight", torch, func(m *modelProto) {
			for _, in := range m.graph.initializers {
				in.dims, in.raw = []int64{math.MaxInt32, 0}, nil
			}
		}, `(Transpose): input "0.weight" is not a non-empty 2-D float matrix`},
		{"huge dims", torch, func(m *modelProto) { m.graph.initializers[0].dims = []int64{1 << 20, 1 << 20} }, `dims [1048576 1048576] are not a valid shape`},
	}
	for _, c := range cases {
		m, err := decodeModel(c.src)
		if err != nil {
			t.Fatal(err)
		}
		c.edit(m)
		start := time.Now()
		_, err = importBytes(m.encode())
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line wrapping ErrUnsupported with %q", c.name, err, c.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: Import took %v", c.name, d)
		}
	}
	for _, b := range [][]byte{nerve[:len(nerve)/2], {0x0a, 0xff}, {0x3a, 0x02, 0x0a, 0x05}} {
		if _, err := importBytes(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%x: error %v, want ErrFormat", b, err)
		}
	}
}
