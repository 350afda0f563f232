package onnx

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

var (
	// ErrFormat is wrapped by errors about bytes that are not a valid ONNX
	// model file (a protobuf ModelProto).
	ErrFormat = errors.New("invalid ONNX file")
	// ErrUnsupported is wrapped by errors about a valid ONNX model that is
	// not an MLP Import can read: the message names the node, its
	// operator and why.
	ErrUnsupported = errors.New("unsupported ONNX model")
)

// MaxBytes is the largest ONNX file Import reads.
var MaxBytes int64 = 1 << 30

// The opsets of the default domain Import accepts.
const (
	MinImportOpset = 9
	MaxImportOpset = 21
)

// Model is what Import returns: a *model.Model[float32] or a
// *model.Model[float64], in the precision of the graph's tensors. A type
// switch gets the concrete model.
type Model interface {
	Validate() error
	Predict(X *tensor.Dense[float64]) (*tensor.Dense[float64], error)
	WriteTo(w io.Writer) (int64, error)
	Summary() string
}

// Import reads an ONNX model from r (to its end, at most MaxBytes) and
// returns the nerve model it describes. It accepts the graphs Export
// writes and the graphs PyTorch's torch.onnx.export writes for an
// nn.Sequential of Linear layers and activations (PyTorch 1.13, opsets 9
// to 21):
//
//   - one float or double input [N, features];
//   - an optional leading Sub and/or Div by initializers: standardisation;
//   - per Linear layer a Gemm (transA 0, transB 0 or 1, any alpha and
//     beta), or a MatMul, optionally followed by an Add of a bias in either
//     order; a weight may come through a Transpose of an initializer;
//   - activations Relu, Sigmoid, Tanh, LeakyRelu (alpha 0.01, as nerve's),
//     Softmax over the last axis;
//   - Identity, Dropout and Flatten (axis 1) as no-ops; Constant nodes as
//     initializers;
//   - Export's tails: Mul and Add undoing target scaling, the two-column
//     probabilities of a single sigmoid, and ArgMax + Gather for labels;
//   - Export's front end of a model with table preprocessing, one input
//     per column, when the graph carries Export's MetaModel metadata: the
//     inputs, nodes and initializers must be exactly those Export writes
//     for the preprocessing the metadata holds, which the model gets.
//
// Initializers may hold raw_data or typed fields. With the metadata Export
// writes, the model is the one exported: its file is identical when the
// export kept its precision. Without it, class labels come from a Gather
// initializer if there is one; otherwise the model has no classes and
// predicts the graph's output columns.
//
// Bytes that are not an ONNX model give an error wrapping ErrFormat; a
// graph Import cannot read, one line wrapping ErrUnsupported that names
// the node, its op type and why. Import never panics and allocates only
// in proportion to the bytes it has read.
func Import(r io.Reader) (Model, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read ONNX model: %w", err)
	}
	if int64(len(b)) > MaxBytes {
		return nil, fmt.Errorf("%w: more than MaxBytes (%d) bytes", ErrFormat, MaxBytes)
	}
	return importBytes(b)
}

func importBytes(b []byte) (Model, error) {
	mp, err := decodeModel(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	g, err := match(mp, headerPreprocessing(mp.metadata))
	if err != nil {
		return nil, err
	}
	if g.dtype == typeDouble {
		return build[float64](g, mp.metadata)
	}
	return build[float32](g, mp.metadata)
}

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}

// value is a constant: an initializer, a Constant node's output or a
// Transpose of one.
type value struct {
	dims    []int64
	dtype   int64
	floats  []float64 // float and double tensors
	ints    []int64   // int32 and int64 tensors
	strings []string  // string tensors
}

// numElems returns the number of elements dims give, or -1 if a
// dimension is negative or beyond math.MaxInt32, or the product is.
func numElems(dims []int64) int64 {
	n := int64(1)
	for _, d := range dims {
		if d < 0 || d > math.MaxInt32 || (d > 0 && n > math.MaxInt32/d) {
			return -1
		}
		n *= d
	}
	return n
}

// constant converts a tensor to a value, checking its size against its
// data.
func constant(t *tensorProto) (*value, error) {
	switch {
	case t.external:
		return nil, fmt.Errorf("its data is stored outside the file (external data)")
	case t.segment:
		return nil, fmt.Errorf("it is segmented")
	}
	n := numElems(t.dims)
	if n < 0 {
		return nil, fmt.Errorf("dims %v are not a valid shape", t.dims)
	}
	v := &value{dims: t.dims, dtype: t.dataType}
	size := map[int64]int64{typeFloat: 4, typeDouble: 8, typeInt32: 4, typeInt64: 8}[t.dataType]
	if t.hasRaw {
		if size == 0 {
			return nil, fmt.Errorf("raw data of element type %d, want float, double, int32 or int64", t.dataType)
		}
		if int64(len(t.raw)) != n*size {
			return nil, fmt.Errorf("%d bytes of raw data for %d elements of %d bytes", len(t.raw), n, size)
		}
	}
	count := func(got int) error {
		if int64(got) != n {
			return fmt.Errorf("%d values for shape %v (%d elements)", got, t.dims, n)
		}
		return nil
	}
	switch t.dataType {
	case typeFloat, typeDouble:
		if !t.hasRaw {
			if err := count(len(t.floatData) + len(t.doubleData)); err != nil {
				return nil, err
			}
		}
		v.floats = make([]float64, 0, n) // n matches the data present, checked above
		switch {
		case t.hasRaw && size == 4:
			for r := t.raw; len(r) > 0; r = r[4:] {
				v.floats = append(v.floats, float64(math.Float32frombits(binary.LittleEndian.Uint32(r))))
			}
		case t.hasRaw:
			for r := t.raw; len(r) > 0; r = r[8:] {
				v.floats = append(v.floats, math.Float64frombits(binary.LittleEndian.Uint64(r)))
			}
		case t.dataType == typeFloat:
			if len(t.doubleData) > 0 {
				return nil, fmt.Errorf("a float tensor with double_data")
			}
			for _, x := range t.floatData {
				v.floats = append(v.floats, float64(x))
			}
		default:
			if len(t.floatData) > 0 {
				return nil, fmt.Errorf("a double tensor with float_data")
			}
			v.floats = append(v.floats, t.doubleData...)
		}
		for k, x := range v.floats {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("element %d is %v", k, x)
			}
		}
	case typeInt32, typeInt64:
		switch {
		case t.hasRaw && size == 4:
			for r := t.raw; len(r) > 0; r = r[4:] {
				v.ints = append(v.ints, int64(int32(binary.LittleEndian.Uint32(r))))
			}
		case t.hasRaw:
			for r := t.raw; len(r) > 0; r = r[8:] {
				v.ints = append(v.ints, int64(binary.LittleEndian.Uint64(r)))
			}
		case t.dataType == typeInt32:
			for _, x := range t.int32Data {
				v.ints = append(v.ints, int64(x))
			}
		default:
			v.ints = t.int64Data
		}
		if err := count(len(v.ints)); err != nil {
			return nil, err
		}
	case typeString:
		if err := count(len(t.stringData)); err != nil {
			return nil, err
		}
		for _, s := range t.stringData {
			v.strings = append(v.strings, string(s))
		}
	default:
		return nil, fmt.Errorf("element type %d, want float, double, int32, int64 or string", t.dataType)
	}
	return v, nil
}

// vector returns v's values if v is a float vector of n elements, shaped
// [n] or [1, n] (a scalar or [1] when n is 1).
func (v *value) vector(n int) ([]float64, bool) {
	if v.floats == nil || len(v.floats) != n {
		return nil, false
	}
	switch len(v.dims) {
	case 0:
		return v.floats, n == 1
	case 1:
		return v.floats, true
	case 2:
		return v.floats, v.dims[0] == 1
	}
	return nil, false
}

// layer is one dense layer as the matcher finds it.
type layer struct {
	w       []float64 // in×out, row-major
	in, out int
	b       []float64 // nil without bias
	act     activation.Kind
	actSet  bool
	output  string // the name of Z, then of A once the activation is seen
	matmul  bool   // a MatMul without its Add yet
}

// graph is what the matcher found in an MLP-shaped graph.
type graph struct {
	dtype          int64
	features       int // 0 when the input's shape does not say
	mean, scale    []float64
	layers         []*layer
	tmul, tadd     []float64
	binary         bool
	classes        *value
	labelOut       string
	probabilities  string
	opset          int64
	hasStandardise bool
}

// matcher walks the nodes of a graph in order, following the running
// value (cur) from the input to the output.
type matcher struct {
	g       *graph
	consts  map[string]*value
	cur     string
	oneMinP string // output of Sub(1, p) for a binary classifier
	argmax  string // output of ArgMax
	tail    bool   // past the last layer: Mul/Add of target scaling seen
}

// match matches the graph of mp; prep, when not nil, is the table
// preprocessing its nerve metadata says the graph starts with.
func match(mp *modelProto, prep *data.Preprocessing) (*graph, error) {
	if mp.graph == nil {
		return nil, fmt.Errorf("%w: the model has no graph", ErrFormat)
	}
	if mp.functions {
		return nil, unsupported("the model has functions or training information, which an MLP does not need")
	}
	g := &graph{}
	for _, o := range mp.opsets {
		if o.domain == "" || o.domain == "ai.onnx" {
			g.opset = o.version
		}
	}
	if g.opset < MinImportOpset || g.opset > MaxImportOpset {
		return nil, unsupported("default-domain opset %d, want %d to %d", g.opset, MinImportOpset, MaxImportOpset)
	}
	gp := mp.graph
	if gp.sparse {
		return nil, unsupported("the graph has sparse initializers")
	}
	m := &matcher{g: g, consts: make(map[string]*value, len(gp.initializers))}
	for i, t := range gp.initializers {
		v, err := constant(t)
		if err != nil {
			return nil, unsupported("initializer %d %q: %v", i, t.name, err)
		}
		m.consts[t.name] = v
	}
	var inputs []*valueInfo
	for _, in := range gp.inputs {
		if _, ok := m.consts[in.name]; !ok {
			inputs = append(inputs, in)
		}
	}
	start := 0 // the first node after a table front end
	if prep != nil {
		var err error
		if start, err = m.tableFront(gp, inputs, prep); err != nil {
			return nil, err
		}
	} else if err := m.input(inputs); err != nil {
		return nil, err
	}
	for i, n := range gp.nodes[start:] {
		i += start
		if err := m.node(n); err != nil {
			return nil, unsupported("node %d %q (%s): %v", i, n.name, n.opType, err)
		}
	}
	if len(g.layers) == 0 {
		return nil, unsupported("the graph has no Gemm or MatMul layer")
	}
	if m.argmax != "" && g.probabilities != m.cur {
		return nil, unsupported("ArgMax reads %q, which is not the graph's final value %q", g.probabilities, m.cur)
	}
	want := []string{m.cur}
	if g.labelOut != "" {
		want = append(want, g.labelOut)
	}
	var got []string
	for _, o := range gp.outputs {
		got = append(got, o.name)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		return nil, unsupported("graph outputs %q, want %q: the MLP's output (and a label)", got, want)
	}
	return g, nil
}

// input checks the graph's one input, float [N, features], and makes it
// the running value.
func (m *matcher) input(inputs []*valueInfo) error {
	if len(inputs) != 1 {
		return unsupported("the graph has %d inputs that are not initializers, want 1 (the features), or one per column with the %s metadata nerve export writes for a table model", len(inputs), MetaModel)
	}
	in, g := inputs[0], m.g
	if !in.tensor || (in.elemType != typeFloat && in.elemType != typeDouble) {
		return unsupported("input %q: not a float or double tensor", in.name)
	}
	if in.hasShape {
		if len(in.dims) != 2 {
			return unsupported("input %q has %d dimensions, want 2 ([N, features])", in.name, len(in.dims))
		}
		if d := in.dims[1]; d.known {
			if d.value <= 0 || d.value > math.MaxInt32 {
				return unsupported("input %q has %d features", in.name, d.value)
			}
			g.features = int(d.value)
		}
	}
	g.dtype = in.elemType
	m.cur = in.name
	return nil
}

func (m *matcher) attr(n *nodeProto, name string) *attribute {
	for _, a := range n.attrs {
		if a.name == name {
			return a
		}
	}
	return nil
}

// intAttr returns an int attribute's value, def when it is absent.
func (m *matcher) intAttr(n *nodeProto, name string, def int64) (int64, error) {
	a := m.attr(n, name)
	if a == nil {
		return def, nil
	}
	if a.typ != attrInt && a.typ != 0 {
		return 0, fmt.Errorf("attribute %s has type %d, want int", name, a.typ)
	}
	return a.i, nil
}

func (m *matcher) floatAttr(n *nodeProto, name string, def float32) (float32, error) {
	a := m.attr(n, name)
	if a == nil {
		return def, nil
	}
	if a.typ != attrFloat && a.typ != 0 {
		return 0, fmt.Errorf("attribute %s has type %d, want float", name, a.typ)
	}
	return a.f, nil
}

// inputs checks the node's input and output counts.
func arity(n *nodeProto, minIn, maxIn, minOut int) error {
	if len(n.inputs) < minIn || len(n.inputs) > maxIn {
		return fmt.Errorf("%d inputs, want %d to %d", len(n.inputs), minIn, maxIn)
	}
	if len(n.outputs) < minOut || n.outputs[0] == "" {
		return fmt.Errorf("no output")
	}
	return nil
}

// node matches one node.
func (m *matcher) node(n *nodeProto) error {
	if n.domain != "" && n.domain != "ai.onnx" {
		return fmt.Errorf("operator domain %q: only the default ONNX domain is supported", n.domain)
	}
	for _, a := range n.attrs {
		if a.graph || a.refAttr != "" {
			return fmt.Errorf("attribute %s holds a subgraph or a function reference", a.name)
		}
	}
	switch n.opType {
	case "Constant":
		return m.constantNode(n)
	case "Transpose":
		return m.transpose(n)
	case "Identity", "Dropout":
		if err := arity(n, 1, 3, 1); err != nil {
			return err
		}
		if v, ok := m.consts[n.inputs[0]]; ok && n.opType == "Identity" {
			m.consts[n.outputs[0]] = v
			return nil
		}
		return m.follow(n)
	case "Flatten":
		if err := arity(n, 1, 1, 1); err != nil {
			return err
		}
		if axis, err := m.intAttr(n, "axis", 1); err != nil || axis != 1 {
			return fmt.Errorf("axis %d, want 1 (a no-op on [N, features])", axis)
		}
		return m.follow(n)
	case "Sub", "Div":
		return m.subDiv(n)
	case "Gemm", "MatMul":
		return m.dense(n)
	case "Add", "Mul":
		return m.addMul(n)
	case "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Softmax":
		return m.activation(n)
	case "Concat":
		return m.concat(n)
	case "ArgMax":
		return m.argMax(n)
	case "Gather":
		return m.gather(n)
	case "IsNaN", "Where", "TfIdfVectorizer", "ReduceSum", "Cast":
		return fmt.Errorf("operator %s of a table model's preprocessing: Import reads one only with the %s metadata nerve export writes", n.opType, MetaModel)
	}
	return fmt.Errorf("operator %s is not part of an MLP that nerve can hold", n.opType)
}

// follow makes a no-op node's output the running value.
func (m *matcher) follow(n *nodeProto) error {
	if n.inputs[0] != m.cur {
		return fmt.Errorf("input %q is not the running value %q", n.inputs[0], m.cur)
	}
	if l := m.last(); l != nil && l.output == m.cur {
		l.output = n.outputs[0]
	}
	m.cur = n.outputs[0]
	return nil
}

func (m *matcher) last() *layer {
	if len(m.g.layers) == 0 {
		return nil
	}
	return m.g.layers[len(m.g.layers)-1]
}

func (m *matcher) constantNode(n *nodeProto) error {
	if err := arity(n, 0, 0, 1); err != nil {
		return err
	}
	if len(n.attrs) != 1 {
		return fmt.Errorf("%d attributes, want 1", len(n.attrs))
	}
	a := n.attrs[0]
	var v *value
	switch {
	case a.name == "value" && a.t != nil:
		var err error
		if v, err = constant(a.t); err != nil {
			return fmt.Errorf("value: %v", err)
		}
	case a.name == "value_float":
		v = &value{dtype: typeFloat, floats: []float64{float64(a.f)}}
	case a.name == "value_floats":
		v = &value{dtype: typeFloat, dims: []int64{int64(len(a.floats))}}
		for _, f := range a.floats {
			v.floats = append(v.floats, float64(f))
		}
	default:
		return fmt.Errorf("attribute %s: want a tensor value, value_float or value_floats", a.name)
	}
	m.consts[n.outputs[0]] = v
	return nil
}

// transpose handles a Transpose of a 2-D constant (a weight).
func (m *matcher) transpose(n *nodeProto) error {
	if err := arity(n, 1, 1, 1); err != nil {
		return err
	}
	v, ok := m.consts[n.inputs[0]]
	if !ok {
		return fmt.Errorf("input %q is not an initializer: only weights may be transposed", n.inputs[0])
	}
	if len(v.dims) != 2 || len(v.floats) == 0 {
		return fmt.Errorf("input %q is not a non-empty 2-D float matrix", n.inputs[0])
	}
	if a := m.attr(n, "perm"); a != nil && !slices.Equal(a.ints, []int64{1, 0}) {
		return fmt.Errorf("perm %v, want [1 0]", a.ints)
	}
	r, c := int(v.dims[0]), int(v.dims[1])
	t := &value{dims: []int64{int64(c), int64(r)}, dtype: v.dtype, floats: make([]float64, len(v.floats))}
	for i := range r {
		for j := range c {
			t.floats[j*r+i] = v.floats[i*c+j]
		}
	}
	m.consts[n.outputs[0]] = t
	return nil
}

// operands returns the constant operand of a binary node whose other
// operand is the running value, and whether the constant came first.
func (m *matcher) operands(n *nodeProto) (*value, bool, error) {
	if err := arity(n, 2, 2, 1); err != nil {
		return nil, false, err
	}
	a, b := n.inputs[0], n.inputs[1]
	if a == m.cur {
		if v, ok := m.consts[b]; ok {
			return v, false, nil
		}
	}
	if b == m.cur {
		if v, ok := m.consts[a]; ok {
			return v, true, nil
		}
	}
	return nil, false, fmt.Errorf("inputs %q, %q: want the running value %q and an initializer", a, b, m.cur)
}

// subDiv matches leading standardisation, (X − mean) / scale, and the
// 1 − p of a binary classifier's probabilities.
func (m *matcher) subDiv(n *nodeProto) error {
	v, constFirst, err := m.operands(n)
	if err != nil {
		return err
	}
	g := m.g
	if n.opType == "Sub" && constFirst {
		l := m.last()
		one, ok := v.vector(1)
		if !ok || one[0] != 1 || l == nil || l.out != 1 || l.act != activation.Sigmoid || m.oneMinP != "" {
			return fmt.Errorf("want 1 − p after a single sigmoid output")
		}
		m.oneMinP = n.outputs[0]
		return nil // cur stays p
	}
	switch {
	case constFirst:
		return fmt.Errorf("divides an initializer by the data")
	case len(g.layers) > 0:
		return fmt.Errorf("standardisation (Sub, Div) must come before the first layer")
	case n.opType == "Sub" && (g.mean != nil || g.scale != nil):
		return fmt.Errorf("a second Sub, or a Sub after Div")
	case n.opType == "Div" && g.scale != nil:
		return fmt.Errorf("a second Div")
	}
	vals := v.floats
	if vals == nil || len(v.dims) > 2 || (len(v.dims) == 2 && v.dims[0] != 1) {
		return fmt.Errorf("the initializer has shape %v, want [features] or [1, features]", v.dims)
	}
	if n.opType == "Sub" {
		g.mean = vals
	} else {
		g.scale = vals
	}
	g.hasStandardise = true
	m.cur = n.outputs[0]
	return nil
}

// dense matches Gemm or MatMul: a new layer.
func (m *matcher) dense(n *nodeProto) error {
	maxIn := 3
	if n.opType == "MatMul" {
		maxIn = 2
	}
	if err := arity(n, 2, maxIn, 1); err != nil {
		return err
	}
	if m.tail || m.oneMinP != "" || m.argmax != "" {
		return fmt.Errorf("a layer after the output's tail")
	}
	if n.inputs[0] != m.cur {
		return fmt.Errorf("input A %q is not the running value %q", n.inputs[0], m.cur)
	}
	wv, ok := m.consts[n.inputs[1]]
	if !ok || len(wv.dims) != 2 || wv.floats == nil {
		return fmt.Errorf("input B %q is not a 2-D float initializer", n.inputs[1])
	}
	r, c := int(wv.dims[0]), int(wv.dims[1])
	if r == 0 || c == 0 {
		return fmt.Errorf("weight %q has shape %v", n.inputs[1], wv.dims)
	}
	l := &layer{in: r, out: c, w: wv.floats, output: n.outputs[0], matmul: n.opType == "MatMul"}
	if n.opType == "Gemm" {
		if ta, err := m.intAttr(n, "transA", 0); err != nil || ta != 0 {
			return fmt.Errorf("transA %d, want 0", ta)
		}
		tb, err := m.intAttr(n, "transB", 0)
		if err != nil || (tb != 0 && tb != 1) {
			return fmt.Errorf("transB %d, want 0 or 1", tb)
		}
		alpha, err1 := m.floatAttr(n, "alpha", 1)
		beta, err2 := m.floatAttr(n, "beta", 1)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		if tb == 1 { // B is out×in: W = Bᵀ
			l.in, l.out = c, r
			l.w = make([]float64, len(wv.floats))
			for i := range r {
				for j := range c {
					l.w[j*r+i] = wv.floats[i*c+j]
				}
			}
		}
		if alpha != 1 {
			l.w = scaled(l.w, float64(alpha))
		}
		if len(n.inputs) == 3 && n.inputs[2] != "" {
			bv, ok := m.consts[n.inputs[2]]
			if !ok {
				return fmt.Errorf("input C %q is not an initializer", n.inputs[2])
			}
			b, ok := bv.vector(l.out)
			if !ok {
				return fmt.Errorf("bias %q has shape %v, want [%d] or [1, %d]", n.inputs[2], bv.dims, l.out, l.out)
			}
			if beta != 1 {
				b = scaled(b, float64(beta))
			}
			l.b = b
		}
	}
	if prev := m.last(); prev != nil && prev.out != l.in {
		return fmt.Errorf("weight %q has %d inputs, the layer before has %d outputs", n.inputs[1], l.in, prev.out)
	}
	if m.g.features != 0 && len(m.g.layers) == 0 && l.in != m.g.features {
		return fmt.Errorf("weight %q has %d inputs, the graph's input has %d features", n.inputs[1], l.in, m.g.features)
	}
	if prev := m.last(); prev != nil {
		prev.actSet, prev.matmul = true, false
	}
	m.g.layers = append(m.g.layers, l)
	m.cur = l.output
	return nil
}

func scaled(v []float64, s float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * s
	}
	return out
}

// addMul matches a MatMul's bias (Add, either order) and the target
// scaling's Mul and Add after the last layer.
func (m *matcher) addMul(n *nodeProto) error {
	v, _, err := m.operands(n)
	if err != nil {
		return err
	}
	l := m.last()
	if l == nil {
		return fmt.Errorf("%s before the first layer", n.opType)
	}
	if m.oneMinP != "" || m.argmax != "" {
		return fmt.Errorf("%s after the class probabilities", n.opType)
	}
	if n.opType == "Add" && l.matmul && l.output == m.cur && !l.actSet && l.b == nil {
		b, ok := v.vector(l.out)
		if !ok {
			return fmt.Errorf("bias has shape %v, want [%d] or [1, %d]", v.dims, l.out, l.out)
		}
		l.b, l.matmul = b, false
		l.output, m.cur = n.outputs[0], n.outputs[0]
		return nil
	}
	// Target scaling: Y = Y′·scale + mean, after the last layer.
	vals, ok := v.vector(l.out)
	if !ok {
		return fmt.Errorf("initializer has shape %v, want [%d] or [1, %d] (target scaling)", v.dims, l.out, l.out)
	}
	switch {
	case n.opType == "Mul" && (m.g.tmul != nil || m.g.tadd != nil):
		return fmt.Errorf("a second Mul, or a Mul after Add, in target scaling")
	case n.opType == "Add" && m.g.tadd != nil:
		return fmt.Errorf("a second Add in target scaling")
	}
	if n.opType == "Mul" {
		m.g.tmul = vals
	} else {
		m.g.tadd = vals
	}
	l.actSet, l.matmul = true, false
	m.tail = true
	m.cur = n.outputs[0]
	return nil
}

// activation matches the activation of the last layer.
func (m *matcher) activation(n *nodeProto) error {
	if err := arity(n, 1, 1, 1); err != nil {
		return err
	}
	l := m.last()
	switch {
	case l == nil:
		return fmt.Errorf("an activation before the first layer")
	case n.inputs[0] != m.cur || l.output != m.cur:
		return fmt.Errorf("input %q is not the output of the layer before", n.inputs[0])
	case l.actSet || m.tail:
		return fmt.Errorf("a second activation on one layer")
	}
	switch n.opType {
	case "Relu":
		l.act = activation.ReLU
	case "Sigmoid":
		l.act = activation.Sigmoid
	case "Tanh":
		l.act = activation.Tanh
	case "LeakyRelu":
		alpha, err := m.floatAttr(n, "alpha", 0.01)
		if err != nil {
			return err
		}
		if alpha != float32(activation.LeakySlope) {
			return fmt.Errorf("alpha %v: nerve's leaky ReLU has slope %v", alpha, activation.LeakySlope)
		}
		l.act = activation.LeakyReLU
	case "Softmax":
		def := int64(-1)
		if m.g.opset < 13 {
			def = 1
		}
		axis, err := m.intAttr(n, "axis", def)
		if err != nil || (axis != 1 && axis != -1) {
			return fmt.Errorf("axis %d, want 1 or -1 (the classes of [N, classes])", axis)
		}
		l.act = activation.Softmax
	}
	l.actSet, l.matmul = true, false
	l.output, m.cur = n.outputs[0], n.outputs[0]
	return nil
}

// concat matches [1 − p, p], a single sigmoid's two class probabilities.
func (m *matcher) concat(n *nodeProto) error {
	if err := arity(n, 2, 2, 1); err != nil {
		return err
	}
	axis, err := m.intAttr(n, "axis", 0)
	if err != nil || (axis != 1 && axis != -1) || m.oneMinP == "" || n.inputs[0] != m.oneMinP || n.inputs[1] != m.cur || m.g.binary {
		return fmt.Errorf("want Concat(1 − p, p) along axis 1 after a single sigmoid output")
	}
	m.g.binary = true
	m.cur = n.outputs[0]
	return nil
}

func (m *matcher) argMax(n *nodeProto) error {
	if err := arity(n, 1, 1, 1); err != nil {
		return err
	}
	axis, err1 := m.intAttr(n, "axis", 0)
	keep, err2 := m.intAttr(n, "keepdims", 1)
	last, err3 := m.intAttr(n, "select_last_index", 0)
	if errors.Join(err1, err2, err3) != nil || (axis != 1 && axis != -1) || keep != 0 || last != 0 || n.inputs[0] != m.cur || m.argmax != "" {
		return fmt.Errorf("want one ArgMax(axis=1, keepdims=0) of the probabilities")
	}
	m.argmax, m.g.probabilities = n.outputs[0], m.cur
	return nil
}

func (m *matcher) gather(n *nodeProto) error {
	if err := arity(n, 2, 2, 1); err != nil {
		return err
	}
	axis, err := m.intAttr(n, "axis", 0)
	c, ok := m.consts[n.inputs[0]]
	if err != nil || axis != 0 || m.argmax == "" || n.inputs[1] != m.argmax || !ok || len(c.dims) != 1 || m.g.labelOut != "" {
		return fmt.Errorf("want one Gather(classes, ArgMax(...), axis=0) for the labels")
	}
	if c.ints == nil && c.strings == nil {
		return fmt.Errorf("classes %q are not int or string", n.inputs[0])
	}
	m.g.classes, m.g.labelOut = c, n.outputs[0]
	return nil
}

// build makes the model the matched graph describes, in precision T.
func build[T tensor.Float](g *graph, md []entry) (Model, error) {
	net := &nn.Network[T]{Loss: loss.MSE, Reduction: loss.Mean}
	for i, l := range g.layers {
		if i < len(g.layers)-1 && l.act == activation.Softmax {
			return nil, unsupported("layer %d: softmax on a hidden layer", i+1)
		}
		nl := &nn.Layer[T]{W: tensor.New(l.in, l.out, convert[T](l.w)), Activation: l.act}
		if l.b != nil {
			nl.B = tensor.New(1, l.out, convert[T](l.b))
		}
		net.Layers = append(net.Layers, nl)
	}
	outputs := net.Outputs()
	m := &model.Model[T]{Network: net}
	features := net.Inputs()
	if g.hasStandardise {
		sc := &data.Scaler{Mean: g.mean, Scale: g.scale}
		if sc.Mean == nil {
			sc.Mean = make([]float64, features)
		}
		if sc.Scale == nil {
			sc.Scale = slices.Repeat([]float64{1}, features)
		}
		if len(sc.Mean) != features || len(sc.Scale) != features {
			return nil, unsupported("standardisation has %d means and %d scales for %d features", len(sc.Mean), len(sc.Scale), features)
		}
		m.Scaler = sc
	}
	if g.tmul != nil || g.tadd != nil {
		sc := &data.Scaler{Mean: g.tadd, Scale: g.tmul}
		if sc.Mean == nil {
			sc.Mean = make([]float64, outputs)
		}
		if sc.Scale == nil {
			sc.Scale = slices.Repeat([]float64{1}, outputs)
		}
		m.TargetScaler = sc
	}
	last := net.Layers[len(net.Layers)-1].Activation
	switch {
	case last == activation.Softmax:
		net.Loss = loss.CrossEntropy
	case g.binary:
		net.Loss = loss.BinaryCrossEntropy
	}
	if g.classes != nil || g.binary {
		m.Task = model.Classification
	}
	if g.classes != nil && !g.binary {
		if err := labels(m, g.classes, outputs); err != nil {
			return nil, err
		}
	}
	meta := map[string]string{}
	for _, kv := range md {
		meta[kv.key] = kv.value
	}
	if h, ok := meta[MetaModel]; ok {
		if err := fromHeader(m, g, h); err != nil {
			return nil, unsupported("metadata %s: %v", MetaModel, err)
		}
	} else if fj, ok := meta[MetaFeatures]; ok {
		if err := json.Unmarshal([]byte(fj), &m.Features); err != nil {
			return nil, unsupported("metadata %s: %v", MetaFeatures, err)
		}
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	return m, nil
}

func convert[T tensor.Float](v []float64) []T {
	out := make([]T, len(v))
	for i, x := range v {
		out[i] = T(x)
	}
	return out
}

// labels sets the model's classes from a Gather initializer.
func labels[T tensor.Float](m *model.Model[T], c *value, outputs int) error {
	n := max(len(c.ints), len(c.strings))
	if n != outputs {
		return unsupported("%d class labels for %d outputs", n, outputs)
	}
	if c.ints != nil {
		m.LabelType = model.LabelInt
		for _, v := range c.ints {
			m.Classes = append(m.Classes, strconv.FormatInt(v, 10))
		}
		return nil
	}
	m.LabelType, m.Classes = model.LabelString, c.strings
	return nil
}

// fromHeader sets what a nerve model file says beyond its numbers from
// Export's header, after checking that it describes the matched graph.
func fromHeader[T tensor.Float](m *model.Model[T], g *graph, js string) error {
	var h model.Header
	if err := json.Unmarshal([]byte(js), &h); err != nil {
		return err
	}
	net := m.Network
	if h.Inputs != net.Inputs() || len(h.Layers) != len(net.Layers) {
		return fmt.Errorf("%d inputs and %d layers, the graph has %d and %d", h.Inputs, len(h.Layers), net.Inputs(), len(net.Layers))
	}
	for i, hl := range h.Layers {
		l := net.Layers[i]
		if hl.Units != l.Outputs() || hl.Activation != l.Activation.String() || hl.Bias != (l.B != nil) {
			return fmt.Errorf("layer %d is %d %s units (bias %v), the graph's is %d %s (bias %v)", i+1, hl.Units, hl.Activation, hl.Bias, l.Outputs(), l.Activation, l.B != nil)
		}
	}
	lk, err := loss.Parse(h.Loss)
	if err != nil {
		return err
	}
	red := loss.Mean
	if h.Reduction == loss.Sum.String() {
		red = loss.Sum
	}
	if err := near("scaling", h.Scaling, m.Scaler); err != nil {
		return err
	}
	if err := near("target scaling", h.TargetScaling, m.TargetScaler); err != nil {
		return err
	}
	net.Loss, net.Reduction = lk, red
	m.Task, m.Classes, m.LabelType, m.Features, m.Target = h.Task, h.Classes, h.LabelType, h.Features, h.Target
	m.Preprocessing = h.Preprocessing
	m.Scaler, m.TargetScaler, m.Training, m.Metrics = h.Scaling, h.TargetScaling, h.Training, h.Metrics
	if string(m.Training) == "null" {
		m.Training = nil
	}
	return nil
}

// near checks that the header's scaler (exact) and the graph's (perhaps
// rounded to float32) agree.
func near(what string, h, g *data.Scaler) error {
	if (h == nil) != (g == nil) {
		return fmt.Errorf("%s: the header and the graph disagree on whether there is one", what)
	}
	if h == nil {
		return nil
	}
	if len(h.Mean) != len(g.Mean) || len(h.Scale) != len(g.Scale) {
		return fmt.Errorf("%s: %d values in the header, %d in the graph", what, len(h.Mean), len(g.Mean))
	}
	for j := range h.Mean {
		for _, p := range [][2]float64{{h.Mean[j], g.Mean[j]}, {h.Scale[j], g.Scale[j]}} {
			if math.Abs(p[0]-p[1]) > 1e-6*math.Max(1, math.Abs(p[0])) {
				return fmt.Errorf("%s of feature %d: %v in the header, %v in the graph", what, j+1, p[0], p[1])
			}
		}
	}
	return nil
}
