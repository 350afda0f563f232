package onnx

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

// The IR version and opsets Export writes.
const (
	IRVersion    = 7  // ONNX IR version of every export (ONNX 1.8; checkers up to 1.12 accept it)
	DefaultOpset = 13 // the opset when Options.Opset is 0
	MinOpset     = 13 // the lowest opset Export writes
	MaxOpset     = 21 // the highest opset Export writes
)

// The names of the graph's inputs and outputs.
const (
	InputName         = "input"         // float [N, features]
	LabelName         = "label"         // classifiers: [N] int64 or string
	ProbabilitiesName = "probabilities" // classifiers: float [N, classes]
	PredictionsName   = "predictions"   // regressors: float [N, targets]
)

// The metadata_props keys Export writes and Import reads.
const (
	MetaVersion   = "nerve.version"    // the nerve module version that wrote the file
	MetaClasses   = "nerve.classes"    // JSON array of the class labels, output column k first
	MetaLabelType = "nerve.label_type" // "string" or "int"
	MetaFeatures  = "nerve.features"   // JSON array of the feature names
	MetaModel     = "nerve.model"      // the .nerve file header (JSON): all a model file says but its numbers
)

const module = "github.com/nerve-ml/nerve"

// ErrExport is wrapped by errors about a model Export cannot write or
// options it does not accept.
var ErrExport = errors.New("cannot export to ONNX")

// Options configure Export. The zero value exports at opset 13 in float32.
type Options struct {
	// Opset is the ONNX default-domain opset, MinOpset to MaxOpset;
	// 0 means DefaultOpset.
	Opset int
	// DType is the element type of the graph's inputs, parameters and
	// float outputs: "float32" (or "", the default) or "float64". A
	// float64 model is rounded to float32 unless DType is "float64".
	DType string
}

// Export writes m to w as an ONNX model (IR version 7) that computes what
// m.Predict computes, in Options.DType:
//
//   - one input, "input", [N, features] with the batch as the symbolic
//     dimension N; or, for a model with table preprocessing
//     (m.Preprocessing), one input per raw column, named after it
//     ([N, 1]: float with NaN for a missing cell for a numeric column,
//     string for a categorical one) and the preprocessing's imputation,
//     standardisation and one-hot encoding in the graph (see table.go),
//     Concat-ed in Preprocessing.Features order;
//   - standardisation by m.Scaler as Sub then Div;
//   - per dense layer one Gemm (W is inputs×outputs, so transB = 0) and
//     its activation: Relu, Sigmoid, Tanh, LeakyRelu (alpha
//     activation.LeakySlope) or Softmax (axis 1);
//   - a classifier (m.Classes set, or m.Task Classification) outputs
//     "label" ([N], int64 for int labels, else string) and
//     "probabilities" ([N, classes]), the label through ArgMax(axis 1) and
//     Gather from a classes initializer; a classifier with one sigmoid
//     output gets both class probabilities, [1−p, p], and labels 0 and 1;
//   - any other model outputs "predictions" ([N, outputs]), mapped back by
//     m.TargetScaler as Mul then Add.
//
// Class labels, feature names, a table model's inputs (MetaInputs: the
// column, type and element type of each), the nerve version and the
// model file's header go into metadata_props (see the Meta* keys), so
// that Import gives back the same model. ONNX Runtime 1.30 runs every kind of export but
// float64 LeakyRelu outside opsets 16 to 18 (see RuntimeNotes;
// testdata/ort.test.mjs checks its outputs against nerve predict), and
// onnx.checker accepts them at opsets 13 to 17 (the newest python3-onnx
// 1.12 knows). Extra blocks (a checkpoint's optimizer state) are
// not exported. Export writes nothing and returns an error wrapping
// ErrExport for bad options or a preprocessing a graph cannot hold
// exactly (a column name that is not valid UTF-8, a category that is a
// missing-cell token, missing-cell tokens with more than 32768 case
// variants), or nn.ErrConfig for an invalid model (see
// model.Model.Validate); other errors come from w.
func Export[T tensor.Float](w io.Writer, m *model.Model[T], opts Options) error {
	b, err := exportBytes(m, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func exportBytes[T tensor.Float](m *model.Model[T], opts Options) ([]byte, error) {
	opset := cmp.Or(opts.Opset, DefaultOpset)
	if opset < MinOpset || opset > MaxOpset {
		return nil, fmt.Errorf("%w: opset %d, want %d to %d", ErrExport, opset, MinOpset, MaxOpset)
	}
	var dtype int64
	switch opts.DType {
	case "", "float32":
		dtype = typeFloat
	case "float64":
		dtype = typeDouble
	default:
		return nil, fmt.Errorf("%w: dtype %q, want float32 or float64", ErrExport, opts.DType)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	header, err := headerJSON(m)
	if err != nil {
		return nil, err
	}

	b := &builder{g: &graphProto{name: "nerve"}, dtype: dtype}
	net := m.Network
	var x string
	if p := m.Preprocessing; p != nil { // one input per raw column
		if x, err = b.table(p); err != nil {
			return nil, err
		}
	} else {
		b.g.inputs = append(b.g.inputs, b.tensorInfo(InputName, dtype, int64(net.Inputs())))
		x = InputName
	}
	if s := m.Scaler; s != nil { // X′ = (X − mean) / scale
		x = b.node("Sub", "standardise_sub", []string{x, b.floats("scaler_mean", s.Mean)})
		x = b.node("Div", "standardise_div", []string{x, b.floats("scaler_scale", s.Scale)})
	}
	for i, l := range net.Layers { // Z = A_prev·W + b; A = f(Z)
		in := []string{x, b.floats(fmt.Sprintf("W%d", i+1), toFloat64(l.W.Data()), int64(l.Inputs()), int64(l.Outputs()))}
		if l.B != nil {
			in = append(in, b.floats(fmt.Sprintf("b%d", i+1), toFloat64(l.B.Data())))
		}
		x = b.node("Gemm", fmt.Sprintf("Z%d", i+1), in)
		if x, err = b.activation(l.Activation, x, i+1); err != nil {
			return nil, err
		}
	}

	outputs := net.Outputs()
	last := net.Layers[len(net.Layers)-1].Activation
	classes, labelType := m.Classes, m.LabelType
	binary := classes == nil && m.Task == model.Classification && outputs == 1 && last == activation.Sigmoid
	if classes == nil && m.Task == model.Classification {
		n := max(outputs, 2)
		classes, labelType = make([]string, n), model.LabelInt
		for k := range classes {
			classes[k] = strconv.Itoa(k)
		}
	}
	if classes != nil {
		if binary { // P = [1 − p, p]
			q := b.node("Sub", "one_minus_p", []string{b.floats("one", []float64{1}), x})
			x = b.node("Concat", "binary_probabilities", []string{q, x}, intAttribute("axis", 1))
		}
		b.rename(x, ProbabilitiesName)
		k := b.node("ArgMax", "class_index", []string{ProbabilitiesName}, intAttribute("axis", 1), intAttribute("keepdims", 0))
		ct := b.classes(classes, labelType)
		b.node("Gather", LabelName, []string{ct.name, k}, intAttribute("axis", 0))
		b.g.outputs = append(b.g.outputs, b.tensorInfo(LabelName, ct.dataType, -1), b.tensorInfo(ProbabilitiesName, dtype, int64(len(classes))))
	} else {
		if s := m.TargetScaler; s != nil { // Y = Y′·scale + mean
			x = b.node("Mul", "unscale_mul", []string{x, b.floats("target_scale", s.Scale)})
			x = b.node("Add", "unscale_add", []string{x, b.floats("target_mean", s.Mean)})
		}
		b.rename(x, PredictionsName)
		b.g.outputs = append(b.g.outputs, b.tensorInfo(PredictionsName, dtype, int64(outputs)))
	}

	mp := &modelProto{
		irVersion: IRVersion, producerName: "nerve", producerVersion: nerveVersion(),
		opsets: []opsetID{{version: int64(opset)}}, graph: b.g,
		metadata: []entry{{MetaVersion, nerveVersion()}},
	}
	if classes != nil {
		cj, _ := json.Marshal(classes)
		mp.metadata = append(mp.metadata, entry{MetaClasses, string(cj)}, entry{MetaLabelType, labelType})
	}
	if m.Features != nil {
		fj, _ := json.Marshal(m.Features)
		mp.metadata = append(mp.metadata, entry{MetaFeatures, string(fj)})
	}
	if p := m.Preprocessing; p != nil {
		ij, _ := json.Marshal(b.nameInputs(p))
		mp.metadata = append(mp.metadata, entry{MetaInputs, string(ij)})
	}
	mp.metadata = append(mp.metadata, entry{MetaModel, header})
	return mp.encode(), nil
}

// RuntimeNotes says what ONNX Runtime 1.30 (the CPU runtime
// onnxruntime-node ships) cannot run in the graph Export writes for m with
// opts, one sentence each; nil when it runs all of it. In float32 it runs
// every export at opsets 13 to 21; in float64 every operator but
// LeakyRelu, whose double kernel it has only at opsets 16 to 18.
// testdata/ort.test.mjs checks both against the runtime. RuntimeNotes
// returns nil for options Export refuses.
func RuntimeNotes[T tensor.Float](m *model.Model[T], opts Options) []string {
	opset := cmp.Or(opts.Opset, DefaultOpset)
	if opts.DType != "float64" || m == nil || m.Network == nil || opset < MinOpset || opset > MaxOpset || (opset >= 16 && opset <= 18) {
		return nil
	}
	var layers []string
	for i, l := range m.Network.Layers {
		if l.Activation == activation.LeakyReLU {
			layers = append(layers, strconv.Itoa(i+1))
		}
	}
	if layers == nil {
		return nil
	}
	return []string{fmt.Sprintf("ONNX Runtime 1.30 has no float64 LeakyRelu at opset %d (layer %s): it runs one at opsets 16 to 18, or in float32", opset, strings.Join(layers, ", "))}
}

// headerJSON returns the model file header of m without its Extra blocks,
// as compact JSON.
func headerJSON[T tensor.Float](m *model.Model[T]) (string, error) {
	plain := *m
	plain.Extra = nil
	var buf bytes.Buffer
	if _, err := plain.WriteTo(&buf); err != nil {
		return "", err
	}
	h, err := model.ReadHeader(&buf)
	if err != nil {
		return "", fmt.Errorf("%w: reading back the model's header: %v", nn.ErrConfig, err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		return "", fmt.Errorf("%w: header: %v", nn.ErrConfig, err)
	}
	return string(bytes.TrimSpace(out.Bytes())), nil
}

// nerveVersion is the version of the nerve module in this binary, or
// "devel" when the build does not record one.
func nerveVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if bi.Main.Path == module && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == module && d.Version != "" {
			return d.Version
		}
	}
	return "devel"
}

func toFloat64[T tensor.Float](v []T) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// builder appends nodes and initializers to a graph.
type builder struct {
	g     *graphProto
	dtype int64 // typeFloat or typeDouble
}

// node appends a node computing out from in and returns out.
func (b *builder) node(op, out string, in []string, attrs ...*attribute) string {
	b.g.nodes = append(b.g.nodes, &nodeProto{inputs: in, outputs: []string{out}, name: out, opType: op, attrs: attrs})
	return out
}

// rename makes the last node's output the graph output name.
func (b *builder) rename(from, to string) {
	n := b.g.nodes[len(b.g.nodes)-1]
	if n.outputs[0] != from {
		panic("onnx: rename of " + from + ", which is not the last node's output")
	}
	n.outputs[0] = to
}

// floats adds an initializer of the builder's dtype with the given
// values and dims (one dimension of len(v) when dims is empty) and
// returns its name.
func (b *builder) floats(name string, v []float64, dims ...int64) string {
	return b.floatsOf(b.dtype, name, v, dims...)
}

// floatsOf is floats with the element type elem, typeFloat or
// typeDouble, whatever the builder's dtype.
func (b *builder) floatsOf(elem int64, name string, v []float64, dims ...int64) string {
	if len(dims) == 0 {
		dims = []int64{int64(len(v))}
	}
	t := &tensorProto{name: name, dims: dims, dataType: elem, hasRaw: true}
	if elem == typeFloat {
		t.raw = make([]byte, 0, 4*len(v))
		for _, x := range v {
			t.raw = binary.LittleEndian.AppendUint32(t.raw, math.Float32bits(float32(x)))
		}
	} else {
		t.raw = make([]byte, 0, 8*len(v))
		for _, x := range v {
			t.raw = binary.LittleEndian.AppendUint64(t.raw, math.Float64bits(x))
		}
	}
	b.g.initializers = append(b.g.initializers, t)
	return name
}

// classes adds the class-label initializer: int64 for int labels,
// string otherwise.
func (b *builder) classes(classes []string, labelType string) *tensorProto {
	t := &tensorProto{name: "classes", dims: []int64{int64(len(classes))}, dataType: typeString}
	if labelType == model.LabelInt {
		t.dataType = typeInt64
		for _, c := range classes {
			v, _ := strconv.ParseInt(c, 10, 64) // Validate checked it
			t.int64Data = append(t.int64Data, v)
		}
	} else {
		for _, c := range classes {
			t.stringData = append(t.stringData, []byte(c))
		}
	}
	b.g.initializers = append(b.g.initializers, t)
	return t
}

// activation appends layer i's activation node after z and returns its
// output (z itself for the identity).
func (b *builder) activation(k activation.Kind, z string, i int) (string, error) {
	out := fmt.Sprintf("A%d", i)
	switch k {
	case activation.Identity:
		return z, nil
	case activation.Sigmoid:
		return b.node("Sigmoid", out, []string{z}), nil
	case activation.Tanh:
		return b.node("Tanh", out, []string{z}), nil
	case activation.ReLU:
		return b.node("Relu", out, []string{z}), nil
	case activation.LeakyReLU:
		return b.node("LeakyRelu", out, []string{z}, &attribute{name: "alpha", typ: attrFloat, f: float32(activation.LeakySlope)}), nil
	case activation.Softmax:
		return b.node("Softmax", out, []string{z}, intAttribute("axis", 1)), nil
	}
	return "", fmt.Errorf("%w: layer %d: activation %v has no ONNX operator here", ErrExport, i, k)
}

func intAttribute(name string, v int64) *attribute {
	return &attribute{name: name, typ: attrInt, i: v}
}

// tensorInfo describes a graph input or output: [N] when cols < 0, else
// [N, cols].
func (b *builder) tensorInfo(name string, elem int64, cols int64) *valueInfo {
	v := &valueInfo{name: name, tensor: true, elemType: elem, hasShape: true, dims: []dimension{{param: "N"}}}
	if cols >= 0 {
		v.dims = append(v.dims, dimension{value: cols, known: true})
	}
	return v
}
