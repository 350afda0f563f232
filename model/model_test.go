package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// namedModel is a model for the table tests.
type namedModel[T tensor.Float] struct {
	name string
	m    *Model[T]
}

// mustNew builds a network with standard-normal biases, so that no
// parameter is zero by construction.
func mustNew[T tensor.Float](t testing.TB, seed uint32, cfg nn.Config) *nn.Network[T] {
	t.Helper()
	cfg.BiasInit = nn.StandardNormal
	n, err := nn.New[T](cfg, rng.New(seed))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testModels returns models of several shapes: with and without biases,
// metadata, scalers and target scalers.
func testModels[T tensor.Float](t testing.TB) []namedModel[T] {
	xor := mustNew[T](t, 1, nn.Config{Inputs: 2, Loss: loss.BinaryCrossEntropy, Layers: []nn.LayerSpec{
		{Units: 4, Activation: activation.Tanh}, {Units: 1, Activation: activation.Sigmoid}}})
	noBias := mustNew[T](t, 2, nn.Config{Inputs: 3, Loss: loss.MSE, Reduction: loss.Sum, Layers: []nn.LayerSpec{
		{Units: 5, Activation: activation.ReLU, NoBias: true}, {Units: 2, NoBias: true}}})
	iris := mustNew[T](t, 3, nn.Config{Inputs: 4, Loss: loss.CrossEntropy, Layers: []nn.LayerSpec{
		{Units: 8, Activation: activation.ReLU},
		{Units: 6, Activation: activation.LeakyReLU, NoBias: true},
		{Units: 3, Activation: activation.Softmax}}})
	digits := mustNew[T](t, 4, nn.Config{Inputs: 5, Loss: loss.CrossEntropy, Layers: []nn.LayerSpec{
		{Units: 7, Activation: activation.Sigmoid}, {Units: 3, Activation: activation.Softmax}}})
	reg := mustNew[T](t, 5, nn.Config{Inputs: 3, Loss: loss.HalfSSE, Layers: []nn.LayerSpec{
		{Units: 6, Activation: activation.Tanh}, {Units: 4, Activation: activation.LeakyReLU}, {Units: 2}}})
	tiny := mustNew[T](t, 6, nn.Config{Inputs: 1, Layers: []nn.LayerSpec{{Units: 1}}})
	return []namedModel[T]{
		{"xor", &Model[T]{Network: xor}},
		{"no-bias", &Model[T]{Network: noBias, Task: Regression}},
		{"classifier", &Model[T]{
			Network: iris, Task: Classification,
			Classes:   []string{"setosa", "versicolor", "virginica"},
			LabelType: LabelString,
			Features:  []string{"sepal_length", "sepal_width", "petal_length", "petal_width"},
			Target:    "species",
			Scaler:    &data.Scaler{Mean: []float64{5.843333333333335, 3.0573333333333337, 3.7580000000000005, 1.1993333333333331}, Scale: []float64{0.8253012917851409, 0.4344109677354946, 1.759404065775303, 0.7596926279021594}},
			Training:  json.RawMessage(`{"epochs":200,"optimizer":{"name":"adam","lr":0.01},"seed":42,"tag":"<a & b>"}`),
			Metrics:   map[string]float64{"test_accuracy": 0.9666666666666667, "train_loss": 0.0512345678901234},
		}},
		{"int-labels", &Model[T]{Network: digits, Task: Classification, Classes: []string{"3", "10", "-2"}, LabelType: LabelInt, Metrics: map[string]float64{}}},
		{"regression", &Model[T]{
			Network: reg, Task: Regression, Features: []string{"a", "β", "c d"}, Target: "y",
			Scaler:       &data.Scaler{Mean: []float64{1, -2.5, 1e-300}, Scale: []float64{3, 0.1, 1e300}},
			TargetScaler: &data.Scaler{Mean: []float64{100.25, math.Copysign(0, -1)}, Scale: []float64{12.5, 0.3}},
			Metrics:      map[string]float64{"test_r2": 0.87, "test_mse": 1.5e-7},
		}},
		{"tiny", &Model[T]{Network: tiny, Training: json.RawMessage(`{}`)}},
	}
}

// encode returns the model file of m.
func encode[T tensor.Float](t testing.TB, m *Model[T]) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := m.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("WriteTo returned %d; wrote %d bytes", n, buf.Len())
	}
	return buf.Bytes()
}

// compact returns the compact form of a JSON value, or nil.
func compact(t testing.TB, b json.RawMessage) string {
	if b == nil {
		return ""
	}
	var c bytes.Buffer
	if err := json.Compact(&c, b); err != nil {
		t.Fatal(err)
	}
	return c.String()
}

// sameModel reports how got differs from want: parameters and extra
// values bit for bit (after converting want's to U), architecture and
// metadata.
func sameModel[U, T tensor.Float](t testing.TB, got *Model[U], want *Model[T]) error {
	if len(got.Network.Layers) != len(want.Network.Layers) {
		return fmt.Errorf("%d layers; want %d", len(got.Network.Layers), len(want.Network.Layers))
	}
	if got.Network.Loss != want.Network.Loss || got.Network.Reduction != want.Network.Reduction {
		return fmt.Errorf("loss %v %v; want %v %v", got.Network.Loss, got.Network.Reduction, want.Network.Loss, want.Network.Reduction)
	}
	for i, wl := range want.Network.Layers {
		gl := got.Network.Layers[i]
		if gl.Activation != wl.Activation {
			return fmt.Errorf("layer %d: activation %v; want %v", i+1, gl.Activation, wl.Activation)
		}
		if (gl.B == nil) != (wl.B == nil) {
			return fmt.Errorf("layer %d: bias %v; want %v", i+1, gl.B != nil, wl.B != nil)
		}
		pairs := [][2]*tensor.Dense[U]{{gl.W, tensor.Convert[U](wl.W)}}
		if wl.B != nil {
			pairs = append(pairs, [2]*tensor.Dense[U]{gl.B, tensor.Convert[U](wl.B)})
		}
		for _, p := range pairs {
			if p[0].Rows() != p[1].Rows() || p[0].Cols() != p[1].Cols() {
				return fmt.Errorf("layer %d: shape %s; want %s", i+1, p[0].Shape(), p[1].Shape())
			}
			for k, v := range p[1].Data() {
				if g := p[0].Data()[k]; math.Float64bits(float64(g)) != math.Float64bits(float64(v)) {
					return fmt.Errorf("layer %d: parameter %d is %v; want %v", i+1, k, g, v)
				}
			}
		}
	}
	if len(got.Extra) != len(want.Extra) {
		return fmt.Errorf("%d extra blocks; want %d", len(got.Extra), len(want.Extra))
	}
	for i, we := range want.Extra {
		ge := got.Extra[i]
		if ge.Name != we.Name || len(ge.Values) != len(we.Values) {
			return fmt.Errorf("extra block %d is %q with %d values; want %q with %d", i, ge.Name, len(ge.Values), we.Name, len(we.Values))
		}
		for k, v := range we.Values {
			if g, w := float64(ge.Values[k]), float64(U(v)); math.Float64bits(g) != math.Float64bits(w) {
				return fmt.Errorf("extra block %q: value %d is %v; want %v", we.Name, k, g, w)
			}
		}
	}
	type metaOf struct {
		Task, LabelType, Target string
		Classes, Features       []string
		Scaler, TargetScaler    *data.Scaler
		Training                string
		Metrics                 map[string]float64
	}
	g := metaOf{got.Task, got.LabelType, got.Target, got.Classes, got.Features, got.Scaler, got.TargetScaler, compact(t, got.Training), got.Metrics}
	w := metaOf{want.Task, want.LabelType, want.Target, want.Classes, want.Features, want.Scaler, want.TargetScaler, compact(t, want.Training), want.Metrics}
	if !reflect.DeepEqual(g, w) {
		return fmt.Errorf("metadata\n got %+v\nwant %+v", g, w)
	}
	// -0.0 must survive too; DeepEqual does not tell it from 0.
	for _, s := range [][2]*data.Scaler{{got.Scaler, want.Scaler}, {got.TargetScaler, want.TargetScaler}} {
		if s[1] == nil {
			continue
		}
		for j, v := range s[1].Mean {
			if math.Float64bits(s[0].Mean[j]) != math.Float64bits(v) {
				return fmt.Errorf("scaler mean %d is %v; want %v", j, s[0].Mean[j], v)
			}
		}
	}
	return nil
}

func TestRoundTrip(t *testing.T) {
	t.Run("float32", testRoundTrip[float32])
	t.Run("float64", testRoundTrip[float64])
}

func testRoundTrip[T tensor.Float](t *testing.T) {
	dir := t.TempDir()
	for _, tc := range testModels[T](t) {
		b := encode(t, tc.m)
		got, err := Read[T](bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: Read: %v", tc.name, err)
		}
		if err := sameModel(t, got, tc.m); err != nil {
			t.Errorf("%s: WriteTo then Read: %v", tc.name, err)
		}
		if again := encode(t, got); !bytes.Equal(again, b) {
			t.Errorf("%s: writing the model read back gives different bytes", tc.name)
		}
		path := filepath.Join(dir, tc.name+".nerve")
		if err := Save(path, tc.m); err != nil {
			t.Fatalf("%s: Save: %v", tc.name, err)
		}
		loaded, err := Load[T](path)
		if err != nil {
			t.Fatalf("%s: Load: %v", tc.name, err)
		}
		if err := sameModel(t, loaded, tc.m); err != nil {
			t.Errorf("%s: Save then Load: %v", tc.name, err)
		}
		onDisk, _ := os.ReadFile(path)
		if !bytes.Equal(onDisk, b) {
			t.Errorf("%s: Save wrote other bytes than WriteTo", tc.name)
		}
		h, err := ReadHeader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: ReadHeader: %v", tc.name, err)
		}
		dt, _ := tensor.DType[T]()
		if h.DType != dt || h.Params != tc.m.Network.NumParams() || h.Inputs != tc.m.Network.Inputs() || len(h.Layers) != len(tc.m.Network.Layers) {
			t.Errorf("%s: header %+v", tc.name, h)
		}
		if h2, err := LoadHeader(path); err != nil || !reflect.DeepEqual(h2, h) {
			t.Errorf("%s: LoadHeader: %v, same as ReadHeader: %v", tc.name, err, reflect.DeepEqual(h2, h))
		}
	}
}

// The JSON header is readable with head: it comes right after the 16-byte
// preamble and is indented.
func TestHeaderReadable(t *testing.T) {
	m := testModels[float32](t)[2].m
	b := encode(t, m)
	if string(b[:8]) != "NERVEMDL" || binary.LittleEndian.Uint32(b[8:]) != 1 {
		t.Fatalf("preamble % x", b[:16])
	}
	hlen := binary.LittleEndian.Uint32(b[12:])
	hdr := string(b[16 : 16+hlen])
	for _, want := range []string{
		"{\n  \"format\": \"nerve-model\",\n  \"version\": 1,\n  \"dtype\": \"float32\",\n  \"inputs\": 4,",
		`"activation": "leaky-relu",`, `"bias": false`, `"loss": "cross-entropy"`, `"reduction": "mean"`,
		`"params": 109,`, `"label_type": "string"`, `"tag": "<a & b>"`, `"test_accuracy": 0.9666666666666667`,
		`"target_scaling": null`,
	} {
		if !strings.Contains(hdr, want) {
			t.Errorf("header lacks %q:\n%s", want, hdr)
		}
	}
	if got, want := len(b), 16+int(hlen)+109*4+4; got != want {
		t.Errorf("file is %d bytes; want %d", got, want)
	}
	if got, want := binary.LittleEndian.Uint32(b[len(b)-4:]), crc32.ChecksumIEEE(b[:len(b)-4]); got != want {
		t.Errorf("stored CRC %08x; want %08x", got, want)
	}
	// The first parameter is W[0, 0] of layer 1.
	if got := math.Float32frombits(binary.LittleEndian.Uint32(b[16+hlen:])); got != m.Network.Layers[0].W.At(0, 0) {
		t.Errorf("first parameter %v; want W[0, 0] = %v", got, m.Network.Layers[0].W.At(0, 0))
	}
}

func TestReadConvertsDType(t *testing.T) {
	for _, tc := range testModels[float64](t) {
		// float64 file, float32 model: every parameter rounds to nearest.
		got, err := Read[float32](bytes.NewReader(encode(t, tc.m)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := sameModel(t, got, tc.m); err != nil {
			t.Errorf("%s: float64 file read as float32: %v", tc.name, err)
		}
	}
	for _, tc := range testModels[float32](t) {
		// float32 file, float64 model: exact.
		got, err := Read[float64](bytes.NewReader(encode(t, tc.m)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := sameModel(t, got, tc.m); err != nil {
			t.Errorf("%s: float32 file read as float64: %v", tc.name, err)
		}
	}
	// A float64 parameter beyond float32's range cannot be read as float32.
	m := testModels[float64](t)[5].m
	m.Network.Layers[0].W.Set(0, 0, 1e300)
	b := encode(t, m)
	if _, err := Read[float64](bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	_, err := Read[float32](bytes.NewReader(b))
	if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "layer 1: W[0, 0] is 1e+300, beyond the range of float32") {
		t.Errorf("1e300 read as float32: %v", err)
	}
}

// --- building broken files ---

// fileParts splits a model file into its header and parameters.
func fileParts(b []byte) (hdr, params []byte) {
	hlen := int(binary.LittleEndian.Uint32(b[12:]))
	return b[16 : 16+hlen], b[16+hlen : len(b)-4]
}

// assemble builds a model file from its parts, with a correct CRC.
func assemble(version uint32, hdr, params []byte) []byte {
	b := []byte(Magic)
	b = binary.LittleEndian.AppendUint32(b, version)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(hdr)))
	b = append(b, hdr...)
	b = append(b, params...)
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// editHeader returns b with its header decoded, changed by f and encoded
// again, with a correct CRC.
func editHeader(t testing.TB, b []byte, f func(h map[string]any)) []byte {
	hdr, params := fileParts(b)
	d := json.NewDecoder(bytes.NewReader(hdr))
	d.UseNumber()
	var h map[string]any
	if err := d.Decode(&h); err != nil {
		t.Fatal(err)
	}
	f(h)
	nh, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return assemble(1, nh, params)
}

func layer0(h map[string]any) map[string]any {
	return h["layers"].([]any)[0].(map[string]any)
}

func TestReadRejects(t *testing.T) {
	good := encode(t, testModels[float32](t)[2].m) // the classifier, float32
	hdr, params := fileParts(good)
	n := len(good)
	with := func(f func(b []byte)) []byte {
		c := bytes.Clone(good)
		f(c)
		return c
	}
	withParams := func(f func(p []byte)) []byte {
		p := bytes.Clone(params)
		f(p)
		return assemble(1, hdr, p)
	}
	edit := func(f func(h map[string]any)) []byte { return editHeader(t, good, f) }
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "truncated: 0 bytes, a model file has at least 20"},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), `not a nerve model file (it starts with "PK\x03\x04\x14\x00\x00\x00", a model file with "NERVEMDL")`},
		{"text", []byte("hello"), "not a nerve model file"},
		{"magic prefix", []byte("NERVE"), "truncated: 5 bytes"},
		{"preamble only", good[:16], "truncated: 16 bytes, a model file has at least 20"},
		{"version 3", with(func(b []byte) { b[8] = 3 }), "unsupported format version 3 (this build reads versions 1 and 2) (at byte 8)"},
		{"version 0", with(func(b []byte) { b[8] = 0 }), "unsupported format version 0"},
		{"header too long", with(func(b []byte) { binary.LittleEndian.PutUint32(b[12:], 2<<20) }), "header length 2097152 is larger than the limit of 1048576 bytes"},
		{"header past the end", with(func(b []byte) { binary.LittleEndian.PutUint32(b[12:], 1<<20) }), fmt.Sprintf("truncated: the header needs %d bytes, the file has %d", 16+1<<20+4, n)},
		{"params cut", good[:n-10], fmt.Sprintf("truncated: the header describes a %d-byte file, %d bytes are present", n, n-10)},
		{"crc cut", good[:n-1], fmt.Sprintf("truncated: the header describes a %d-byte file, %d bytes are present", n, n-1)},
		{"trailing bytes", append(bytes.Clone(good), 0, 0, 0), fmt.Sprintf("trailing bytes after the end of the model: the header describes a %d-byte file, %d bytes are present (at byte %d)", n, n+3, n)},
		{"parameter bit flipped", with(func(b []byte) { b[n-20] ^= 1 }), "corrupted: CRC-32 of the file is"},
		{"crc flipped", with(func(b []byte) { b[n-1] ^= 0x80 }), "corrupted: CRC-32"},
		{"header byte flipped", with(func(b []byte) { b[40] ^= 0x20 }), "corrupted: CRC-32"},
		{"header garbage, bad crc", with(func(b []byte) { b[16] = '!' }), `corrupted: CRC-32 mismatch, and the header is unreadable: header is not a JSON object (it starts with "!")`},
		{"header not JSON", assemble(1, []byte(`{"format": "nerve-model",`), params), "header is not valid JSON"},
		{"header not UTF-8", assemble(1, []byte("{\"format\": \"nerve\xff\"}"), params), "header is not valid UTF-8 (at byte 33)"},
		{"header an array", assemble(1, []byte(`[1, 2]`), params), `header is not a JSON object (it starts with "[")`},
		{"header null", assemble(1, []byte(`null`), params), `header is not a JSON object (it starts with "n")`},
		{"header trailing", assemble(1, append(bytes.Clone(hdr), "{}"...), params), "header is not valid JSON"},
		{"format", edit(func(h map[string]any) { h["format"] = "onnx" }), `header field format: "onnx", want "nerve-model"`},
		{"version field", edit(func(h map[string]any) { h["version"] = 3 }), "header field version: 3, but the file is version 1"},
		{"dtype", edit(func(h map[string]any) { h["dtype"] = "float16" }), `header field dtype: "float16", want "float32" or "float64"`},
		{"dtype mismatch", edit(func(h map[string]any) { h["dtype"] = "float64" }), "truncated: the header describes a"},
		{"inputs type", edit(func(h map[string]any) { h["inputs"] = "four" }), "header field inputs: string, want an integer"},
		{"inputs 0", edit(func(h map[string]any) { h["inputs"] = 0 }), "header field inputs: 0, want > 0"},
		{"inputs 5", edit(func(h map[string]any) { h["inputs"] = 5 }), "header field params: 109, but the layers have 117 parameters"},
		{"no layers", edit(func(h map[string]any) { h["layers"] = []any{} }), "header field layers: no layers"},
		{"units 0", edit(func(h map[string]any) { layer0(h)["units"] = 0 }), "header field layers[0].units: 0, want > 0"},
		{"units negative", edit(func(h map[string]any) { layer0(h)["units"] = -3 }), "header field layers[0].units: -3, want > 0"},
		{"units huge", edit(func(h map[string]any) { layer0(h)["units"] = json.Number("9000000000000000000") }), "header field layers[0]: the layers have more parameters than a file of MaxModelBytes (1073741824 bytes) can hold"},
		{"units overflow", edit(func(h map[string]any) { layer0(h)["units"] = json.Number("1e30") }), "header field layers.units"},
		{"unknown activation", edit(func(h map[string]any) { layer0(h)["activation"] = "gelu" }), `header field layers[0].activation: unknown activation "gelu"`},
		{"alias activation", edit(func(h map[string]any) { layer0(h)["activation"] = "ReLU" }), `unknown activation "ReLU"`},
		{"bias flipped", edit(func(h map[string]any) { layer0(h)["bias"] = false }), "header field params: 109, but the layers have 101 parameters"},
		{"unknown loss", edit(func(h map[string]any) { h["loss"] = "hinge" }), `header field loss: unknown loss "hinge"`},
		{"loss needs softmax", edit(func(h map[string]any) { h["loss"] = "binary-cross-entropy" }), "header field loss: binary-cross-entropy loss needs a sigmoid output layer, got softmax"},
		{"reduction", edit(func(h map[string]any) { h["reduction"] = "avg" }), `header field reduction: "avg", want "mean" or "sum"`},
		{"params", edit(func(h map[string]any) { h["params"] = 108 }), "header field params: 108, but the layers have 109 parameters"},
		{"task", edit(func(h map[string]any) { h["task"] = "clustering" }), `header field task: "clustering" is not`},
		{"classes count", edit(func(h map[string]any) { h["classes"] = []any{"a", "b"} }), "header field classes: 2 labels for 3 output units"},
		{"classes repeat", edit(func(h map[string]any) { h["classes"] = []any{"a", "b", "a"} }), `header field classes[2]: label "a" appears twice`},
		{"label type", edit(func(h map[string]any) { h["label_type"] = "float" }), `header field label_type: "float" is not "string" or "int"`},
		{"int labels", edit(func(h map[string]any) { h["label_type"] = "int" }), `header field classes[0]: label "setosa" is not an integer`},
		{"features count", edit(func(h map[string]any) { h["features"] = []any{"x"} }), "header field features: 1 names for 4 inputs"},
		{"scaling count", edit(func(h map[string]any) { h["scaling"] = map[string]any{"mean": []any{0}, "scale": []any{1}} }), "header field scaling: 1 features, the network has 4 inputs"},
		{"scaling zero", edit(func(h map[string]any) {
			h["scaling"] = map[string]any{"mean": []any{0, 0, 0, 0}, "scale": []any{1, 0, 1, 1}}
		}), "header field scaling: invalid data: scaler scale of feature 2 is 0"},
		{"target scaling", edit(func(h map[string]any) {
			h["target_scaling"] = map[string]any{"mean": []any{0, 0, 0}, "scale": []any{1, 1, 1}}
		}), "header field target_scaling: a classifier has no target scaling"},
		{"training", edit(func(h map[string]any) { h["training"] = []any{1, 2} }), "header field training: not a JSON object"},
		{"metrics", edit(func(h map[string]any) { h["metrics"] = map[string]any{"acc": "high"} }), "header field metrics: string, want a number"},
		{"NaN parameter", withParams(func(p []byte) { binary.LittleEndian.PutUint32(p[4:], math.Float32bits(float32(math.NaN()))) }), fmt.Sprintf("layer 1: W[0, 1] is NaN (at byte %d)", 16+len(hdr)+4)},
		{"Inf bias", withParams(func(p []byte) {
			binary.LittleEndian.PutUint32(p[4*32:], math.Float32bits(float32(math.Inf(-1))))
		}), "layer 1: b[0, 0] is -Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, read := range []func([]byte) error{
				func(b []byte) error { _, err := Read[float32](bytes.NewReader(b)); return err },
				func(b []byte) error { _, err := Read[float64](bytes.NewReader(b)); return err },
				func(b []byte) error { _, err := ReadHeader(bytes.NewReader(b)); return err },
			} {
				err := read(tc.b)
				if strings.HasSuffix(tc.name, "parameter") || strings.HasPrefix(tc.name, "Inf") {
					if _, herr := ReadHeader(bytes.NewReader(tc.b)); herr != nil {
						t.Fatalf("ReadHeader: %v; want no error: it does not decode the parameters", herr)
					}
					break
				}
				var fe *FormatError
				if !errors.Is(err, ErrFormat) || !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v; want a *FormatError containing %q", err, tc.want)
				}
				if !strings.HasPrefix(err.Error(), "model file: ") {
					t.Errorf("error %q does not start with \"model file: \"", err)
				}
			}
		})
	}
}

// The NaN and Inf cases above are skipped for ReadHeader; check that Read
// itself rejects them in both precisions.
func TestReadRejectsNonFinite(t *testing.T) {
	for _, tm := range testModels[float64](t) {
		good := encode(t, tm.m)
		hdr, params := fileParts(good)
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			p := bytes.Clone(params)
			binary.LittleEndian.PutUint64(p[len(p)-8:], math.Float64bits(v))
			b := assemble(1, hdr, p)
			if _, err := Read[float64](bytes.NewReader(b)); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), fmt.Sprint(v)) {
				t.Errorf("%s: last parameter %v: %v", tm.name, v, err)
			}
			if _, err := Read[float32](bytes.NewReader(b)); !errors.Is(err, ErrFormat) {
				t.Errorf("%s: last parameter %v read as float32: %v", tm.name, v, err)
			}
		}
	}
}

// Every prefix of a model file is truncated, and every single flipped bit
// is caught; neither ever panics.
func TestReadEveryTruncationAndBitFlip(t *testing.T) {
	for _, tm := range testModels[float32](t)[:2] {
		b := encode(t, tm.m)
		for i := range len(b) {
			_, err := Read[float32](bytes.NewReader(b[:i]))
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "truncated") {
				t.Fatalf("%s: first %d of %d bytes: %v; want a truncated error", tm.name, i, len(b), err)
			}
		}
		for i := range len(b) {
			for bit := range 8 {
				c := bytes.Clone(b)
				c[i] ^= 1 << bit
				if _, err := Read[float32](bytes.NewReader(c)); !errors.Is(err, ErrFormat) {
					t.Fatalf("%s: bit %d of byte %d flipped: %v; want ErrFormat", tm.name, bit, i, err)
				}
			}
		}
	}
}

func TestReadSizeLimit(t *testing.T) {
	b := encode(t, testModels[float64](t)[0].m)
	path := filepath.Join(t.TempDir(), "m.nerve")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(old int64) { MaxModelBytes = old }(MaxModelBytes)
	MaxModelBytes = int64(len(b))
	if _, err := Read[float64](bytes.NewReader(b)); err != nil {
		t.Errorf("file of exactly MaxModelBytes: %v", err)
	}
	MaxModelBytes = int64(len(b) - 1)
	want := fmt.Sprintf("larger than MaxModelBytes (%d bytes)", len(b)-1)
	if _, err := Read[float64](bytes.NewReader(b)); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), want) {
		t.Errorf("Read: %v; want %q", err, want)
	}
	if _, err := Load[float64](path); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), path) {
		t.Errorf("Load: %v; want %q naming the path", err, want)
	}
	if _, err := (&Model[float64]{Network: testModels[float64](t)[0].m.Network}).WriteTo(io.Discard); !errors.Is(err, nn.ErrConfig) || !strings.Contains(err.Error(), "more than MaxModelBytes") {
		t.Errorf("WriteTo: %v; want a too-large error", err)
	}
	// Read stops reading at the limit: an endless input is rejected.
	if _, err := Read[float64](endless{}); !errors.Is(err, ErrFormat) {
		t.Errorf("endless input: %v", err)
	}
}

// endless is a reader that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.nerve")
	if _, err := Load[float32](missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load[float32](dir); err == nil || !strings.Contains(err.Error(), dir+": is a directory, not a model file") {
		t.Errorf("directory: %v", err)
	}
	bad := filepath.Join(dir, "bad.nerve")
	os.WriteFile(bad, []byte("a,b,c\n1,2,3\n"), 0o644)
	var fe *FormatError
	for _, load := range []func() error{
		func() error { _, err := Load[float32](bad); return err },
		func() error { _, err := LoadHeader(bad); return err },
	} {
		err := load()
		if !errors.As(err, &fe) || fe.Path != bad || !strings.HasPrefix(err.Error(), bad+": not a nerve model file") {
			t.Errorf("CSV file: %v", err)
		}
	}
	if _, err := Read[float32](failingReader{}); err == nil || errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("failing reader: %v; want the reader's error, not ErrFormat", err)
	}
}

// --- saving ---

// failAfter is a writer that fails after n bytes.
type failAfter struct {
	w io.Writer
	n int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, errors.New("no space left on device")
	}
	f.n -= len(p)
	return f.w.Write(p)
}

func dirNames(t *testing.T, dir string) []string {
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestSaveAtomic(t *testing.T) {
	models := testModels[float32](t)
	dir := t.TempDir()

	// A directory that does not exist: an error naming the path, and
	// nothing created.
	path := filepath.Join(dir, "nope", "m.nerve")
	err := Save(path, models[0].m)
	if err == nil || !strings.Contains(err.Error(), path) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Save into a missing directory: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Save created %s: %v", filepath.Dir(path), err)
	}

	// A write that fails part way leaves the old file and no temp file.
	path = filepath.Join(dir, "m.nerve")
	if err := Save(path, models[0].m); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(path)
	for _, after := range []int{0, 10, 100, 1000} {
		err := save(path, models[2].m, func(w io.Writer) io.Writer { return &failAfter{w, after} })
		if err == nil || !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), path) {
			t.Errorf("failing after %d bytes: %v", after, err)
		}
		if now, _ := os.ReadFile(path); !bytes.Equal(now, old) {
			t.Errorf("failing after %d bytes: the previous file changed", after)
		}
		if names := dirNames(t, dir); !reflect.DeepEqual(names, []string{"m.nerve"}) {
			t.Errorf("failing after %d bytes: directory holds %q", after, names)
		}
	}

	// An invalid model is not saved either.
	bad := &Model[float32]{Network: models[2].m.Network, Classes: []string{"a"}}
	if err := Save(path, bad); !errors.Is(err, nn.ErrConfig) || !strings.Contains(err.Error(), path) {
		t.Errorf("invalid model: %v", err)
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, old) {
		t.Error("invalid model: the previous file changed")
	}

	// Saving over a directory fails without touching it.
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	if err := Save(sub, models[0].m); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Save over a directory: %v", err)
	}
	if names := dirNames(t, dir); !reflect.DeepEqual(names, []string{"m.nerve", "sub"}) {
		t.Errorf("directory holds %q", names)
	}

	// A successful save replaces the file and keeps its permissions.
	os.Chmod(path, 0o600)
	if err := Save(path, models[2].m); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file has mode %v; want 0600", fi.Mode().Perm())
	}
	fresh := filepath.Join(dir, "fresh.nerve")
	if err := Save(fresh, models[2].m); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o644 {
		t.Errorf("new file has mode %v; want 0644", fi.Mode().Perm())
	}
}

// --- the model ---

func TestModelValidate(t *testing.T) {
	net := func() *nn.Network[float64] { return testModels[float64](t)[2].m.Network.Clone() } // 4 → 3, softmax
	nan := net()
	nan.Layers[1].W.Set(2, 1, math.NaN())
	inf := net()
	inf.Layers[2].B.Set(0, 2, math.Inf(1))
	red := net()
	red.Reduction = 7
	sc := func(n int) *data.Scaler {
		s := &data.Scaler{}
		for range n {
			s.Mean, s.Scale = append(s.Mean, 0), append(s.Scale, 1)
		}
		return s
	}
	for _, tc := range []struct {
		m    *Model[float64]
		want string
	}{
		{&Model[float64]{}, "model has no network"},
		{&Model[float64]{Network: &nn.Network[float64]{}}, "no layers"},
		{&Model[float64]{Network: nan}, "layer 2: W[2, 1] is NaN"},
		{&Model[float64]{Network: inf}, "layer 3: b[0, 2] is +Inf"},
		{&Model[float64]{Network: red}, "reduction 7"},
		{&Model[float64]{Network: net(), Task: "ranking"}, `Task: "ranking" is not "classification", "regression" or empty`},
		{&Model[float64]{Network: net(), Classes: []string{"a", "b"}, LabelType: LabelString}, "Classes: 2 labels for 3 output units"},
		{&Model[float64]{Network: net(), Classes: []string{"a", "b", "c"}}, `LabelType: "" is not "string" or "int"`},
		{&Model[float64]{Network: net(), Classes: []string{"a", "b", "\xff"}, LabelType: LabelString}, "Classes[2]: not valid UTF-8"},
		{&Model[float64]{Network: net(), Classes: []string{"1", "2", "x"}, LabelType: LabelInt}, `Classes[2]: label "x" is not an integer`},
		{&Model[float64]{Network: net(), Task: Regression, Classes: []string{"a", "b", "c"}, LabelType: LabelString}, "Classes: a regression model has no classes"},
		{&Model[float64]{Network: net(), LabelType: LabelInt}, `LabelType: "int" without classes`},
		{&Model[float64]{Network: net(), Features: []string{"a"}}, "Features: 1 names for 4 inputs"},
		{&Model[float64]{Network: net(), Target: "\xfe"}, "Target: not valid UTF-8"},
		{&Model[float64]{Network: net(), Scaler: sc(3)}, "Scaler: 3 features, the network has 4 inputs"},
		{&Model[float64]{Network: net(), Scaler: &data.Scaler{Mean: []float64{0}, Scale: []float64{-1}}}, "Scaler: invalid data: scaler scale of feature 1 is -1"},
		{&Model[float64]{Network: net(), TargetScaler: sc(4)}, "TargetScaler: 4 features, the network has 3 outputs"},
		{&Model[float64]{Network: net(), Task: Classification, TargetScaler: sc(3)}, "TargetScaler: a classifier has no target scaling"},
		{&Model[float64]{Network: net(), Training: json.RawMessage(`"adam"`)}, "Training: not a JSON object"},
		{&Model[float64]{Network: net(), Training: json.RawMessage(`{"a":`)}, "Training: not a JSON object"},
		{&Model[float64]{Network: net(), Metrics: map[string]float64{"r2": math.NaN()}}, `Metrics: "r2" is NaN, want a finite number`},
	} {
		err := tc.m.Validate()
		if !errors.Is(err, nn.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate: %v; want ErrConfig containing %q", err, tc.want)
		}
		if _, werr := tc.m.WriteTo(io.Discard); werr == nil || werr.Error() != err.Error() {
			t.Errorf("WriteTo: %v; want Validate's error", werr)
		}
	}
	bad := &Model[float64]{Network: net(), Scaler: &data.Scaler{Mean: []float64{0}, Scale: []float64{0}}}
	if err := bad.Validate(); !errors.Is(err, data.ErrData) {
		t.Errorf("invalid scaler: %v; want data.ErrData wrapped too", err)
	}
	// An empty Training is the same as none.
	if err := (&Model[float64]{Network: net(), Training: json.RawMessage{}}).Validate(); err != nil {
		t.Errorf("empty Training: %v", err)
	}
}

func TestWriteToHeaderLimit(t *testing.T) {
	n := 70000 // feature names of 16 bytes: a header over 1 MiB
	net := mustNew[float32](t, 1, nn.Config{Inputs: n, Layers: []nn.LayerSpec{{Units: 1}}})
	m := &Model[float32]{Network: net, Features: make([]string, n)}
	for i := range m.Features {
		m.Features[i] = fmt.Sprintf("feature_%07d", i)
	}
	if _, err := m.WriteTo(io.Discard); !errors.Is(err, nn.ErrConfig) || !strings.Contains(err.Error(), "more than a model file allows (1048576)") {
		t.Errorf("WriteTo with a %d-feature header: %v", n, err)
	}
	dir := t.TempDir()
	if err := Save(filepath.Join(dir, "big.nerve"), m); !errors.Is(err, nn.ErrConfig) {
		t.Errorf("Save: %v", err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("failed Save left %q", names)
	}
}

// testX returns n samples of d raw features around the classifier's
// scaler means.
func testX(n, d int, seed uint32) *tensor.Dense[float64] {
	X := tensor.Zeros[float64](n, d)
	src := rng.New(seed)
	for i := range X.Data() {
		X.Data()[i] = 4 + 2*src.NormFloat64()
	}
	return X
}

func TestModelPredict(t *testing.T) {
	t.Run("float32", testModelPredict[float32])
	t.Run("float64", testModelPredict[float64])
}

func testModelPredict[T tensor.Float](t *testing.T) {
	for _, tc := range testModels[T](t) {
		m := tc.m
		X := testX(9, m.Network.Inputs(), 3)
		X0 := X.Clone()
		got, err := m.Predict(X)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !tensor.Equal(X, X0) {
			t.Errorf("%s: Predict modified X", tc.name)
		}
		// By hand: standardise, forward, un-scale.
		in := X.Clone()
		if m.Scaler != nil {
			for i := range in.Rows() {
				for j := range in.Cols() {
					in.Set(i, j, (in.At(i, j)-m.Scaler.Mean[j])/m.Scaler.Scale[j])
				}
			}
		}
		out, err := m.Network.Predict(tensor.Convert[T](in))
		if err != nil {
			t.Fatal(err)
		}
		want := tensor.Convert[float64](out)
		if ts := m.TargetScaler; ts != nil {
			for i := range want.Rows() {
				for j := range want.Cols() {
					want.Set(i, j, want.At(i, j)*ts.Scale[j]+ts.Mean[j])
				}
			}
		}
		if !tensor.Equal(got, want) {
			t.Errorf("%s: Predict\n%v\nwant\n%v", tc.name, got, want)
		}
		if m.Task == Classification {
			for i := range got.Rows() {
				var s float64
				for _, p := range got.Row(i) {
					s += p
				}
				if math.Abs(s-1) > 1e-6 {
					t.Errorf("%s: probabilities of sample %d sum to %v", tc.name, i, s)
				}
			}
		}
		_, err = m.Predict(tensor.Zeros[float64](2, m.Network.Inputs()+1))
		want1 := fmt.Sprintf("input has %d features per sample, the model expects %d", m.Network.Inputs()+1, m.Network.Inputs())
		if !errors.Is(err, nn.ErrShape) || !strings.Contains(err.Error(), want1) {
			t.Errorf("%s: Predict with one feature too many: %v", tc.name, err)
		}
	}
}

func TestModelPredictConcurrent(t *testing.T) {
	t.Run("float32", testModelPredictConcurrent[float32])
	t.Run("float64", testModelPredictConcurrent[float64])
}

func testModelPredictConcurrent[T tensor.Float](t *testing.T) {
	m := testModels[T](t)[4].m // regression: scaler and target scaler
	X := testX(17, m.Network.Inputs(), 8)
	Xn := tensor.Convert[T](X)
	want, err := m.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	wantNet, _ := m.Network.Predict(Xn)
	var wg sync.WaitGroup
	errs := make(chan error, 128)
	for g := range 64 {
		wg.Go(func() {
			for range 10 {
				if g%2 == 0 {
					got, err := m.Predict(X)
					if err != nil || !tensor.Equal(got, want) {
						errs <- fmt.Errorf("goroutine %d: Model.Predict: error %v or a different result", g, err)
						return
					}
				} else {
					got, err := m.Network.Predict(Xn)
					if err != nil || !tensor.Equal(got, wantNet) {
						errs <- fmt.Errorf("goroutine %d: Network.Predict: error %v or a different result", g, err)
						return
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
}

func TestSummary(t *testing.T) {
	m := testModels[float64](t)[2].m
	got := m.Summary()
	for _, want := range []string{
		"layer  type   W       b    activation  params\n1      dense  (4, 8)  yes  relu            40\n2      dense  (8, 6)  no   leaky-relu      48\n3      dense  (6, 3)  yes  softmax         21\n",
		"parameters: 109 (872 bytes as float64)\n",
		"loss: cross-entropy, mean over the batch\n",
		"task: classification\n",
		"classes: 3 (setosa, versicolor, virginica)\n",
		"features: 4 (sepal_length, sepal_width, petal_length, petal_width)\n",
		"target: species\n",
		"input scaling: yes\n",
		"metrics:\n  test_accuracy  0.966667\n  train_loss     0.0512346\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "target scaling") {
		t.Errorf("a classifier's summary mentions target scaling:\n%s", got)
	}
	reg := testModels[float32](t)[4].m.Summary()
	for _, want := range []string{"task: regression\n", "target scaling: yes\n", "features: 3 (a, β, c d)\n", "parameters: 62 (248 bytes as float32)"} {
		if !strings.Contains(reg, want) {
			t.Errorf("Summary lacks %q:\n%s", want, reg)
		}
	}
	plain := testModels[float32](t)[0].m.Summary()
	if !strings.Contains(plain, "task: unspecified\nfeatures: 2 (unnamed)\ninput scaling: no\ntarget scaling: no\n") {
		t.Errorf("Summary of a bare model:\n%s", plain)
	}
}

func TestFormatErrorText(t *testing.T) {
	for _, tc := range []struct {
		e    *FormatError
		want string
	}{
		{&FormatError{Offset: -1, Err: errors.New("truncated")}, "model file: truncated"},
		{&FormatError{Path: "m.nerve", Offset: 8, Err: errors.New("unsupported format version 2")}, "m.nerve: unsupported format version 2 (at byte 8)"},
		{&FormatError{Path: "m.nerve", Field: "loss", Offset: -1, Err: errors.New(`unknown loss "x"`)}, `m.nerve: header field loss: unknown loss "x"`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q; want %q", got, tc.want)
		}
		if !errors.Is(tc.e, ErrFormat) {
			t.Errorf("%v does not wrap ErrFormat", tc.e)
		}
	}
}
