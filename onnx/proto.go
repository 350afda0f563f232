package onnx

import (
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// This file encodes and decodes, by hand, the few ONNX protobuf messages an
// MLP needs (field numbers from onnx.proto, IR version 7 and later). Fields
// that this package does not use are skipped when decoding, except those
// whose presence changes a graph's meaning (external data, sparse
// initializers, subgraphs, functions), which are recorded so that Import can
// refuse the model.

// ONNX tensor element types (TensorProto.DataType).
const (
	typeFloat  = 1
	typeInt32  = 6
	typeInt64  = 7
	typeString = 8
	typeDouble = 11
)

// ONNX attribute types (AttributeProto.AttributeType).
const (
	attrFloat   = 1
	attrInt     = 2
	attrString  = 3
	attrTensor  = 4
	attrGraph   = 5
	attrFloats  = 6
	attrInts    = 7
	attrStrings = 8
)

type modelProto struct {
	irVersion       int64
	opsets          []opsetID
	producerName    string
	producerVersion string
	graph           *graphProto
	metadata        []entry
	functions       bool // ModelProto.functions (25) or training_info (20) present
}

type opsetID struct {
	domain  string
	version int64
}

type entry struct{ key, value string }

type graphProto struct {
	name         string
	nodes        []*nodeProto
	initializers []*tensorProto
	inputs       []*valueInfo
	outputs      []*valueInfo
	sparse       bool // sparse_initializer (15) present
}

type nodeProto struct {
	inputs, outputs      []string
	name, opType, domain string
	attrs                []*attribute
}

type attribute struct {
	name     string
	typ      int64
	f        float32
	i        int64
	s        []byte
	t        *tensorProto
	floats   []float32
	ints     []int64
	strings  [][]byte
	graph    bool   // g or graphs present: a subgraph
	refAttr  string // ref_attr_name: only meaningful inside functions
	hasValue bool   // any value field seen (for attributes without a type)
}

type tensorProto struct {
	name       string
	dims       []int64
	dataType   int64
	floatData  []float32
	int32Data  []int32
	int64Data  []int64
	doubleData []float64
	stringData [][]byte
	raw        []byte
	hasRaw     bool
	external   bool // data_location EXTERNAL or external_data entries
	segment    bool
}

type valueInfo struct {
	name     string
	tensor   bool  // type is a TypeProto.Tensor
	elemType int64 // for a tensor type
	hasShape bool
	dims     []dimension
}

// dimension is one TensorShapeProto.Dimension: a known size, a symbolic
// name, or neither.
type dimension struct {
	value int64
	param string
	known bool
}

// ---- encoding ----

// enc appends protobuf fields to a byte slice.
type enc struct{ b []byte }

func (e *enc) varint(num protowire.Number, v int64) {
	e.b = protowire.AppendTag(e.b, num, protowire.VarintType)
	e.b = protowire.AppendVarint(e.b, uint64(v))
}

func (e *enc) str(num protowire.Number, s string) {
	e.b = protowire.AppendTag(e.b, num, protowire.BytesType)
	e.b = protowire.AppendString(e.b, s)
}

func (e *enc) bytes(num protowire.Number, v []byte) {
	e.b = protowire.AppendTag(e.b, num, protowire.BytesType)
	e.b = protowire.AppendBytes(e.b, v)
}

func (e *enc) float(num protowire.Number, f float32) {
	e.b = protowire.AppendTag(e.b, num, protowire.Fixed32Type)
	e.b = protowire.AppendFixed32(e.b, math.Float32bits(f))
}

// msg appends a nested message written by fn.
func (e *enc) msg(num protowire.Number, fn func(*enc)) {
	var sub enc
	fn(&sub)
	e.bytes(num, sub.b)
}

// packedInts appends a packed repeated int64 field.
func (e *enc) packedInts(num protowire.Number, vs []int64) {
	var p []byte
	for _, v := range vs {
		p = protowire.AppendVarint(p, uint64(v))
	}
	e.bytes(num, p)
}

func (m *modelProto) encode() []byte {
	var e enc
	e.varint(1, m.irVersion)
	e.str(2, m.producerName)
	e.str(3, m.producerVersion)
	e.msg(7, m.graph.encode)
	for _, o := range m.opsets {
		e.msg(8, func(e *enc) {
			if o.domain != "" {
				e.str(1, o.domain)
			}
			e.varint(2, o.version)
		})
	}
	for _, kv := range m.metadata {
		e.msg(14, func(e *enc) { e.str(1, kv.key); e.str(2, kv.value) })
	}
	return e.b
}

func (g *graphProto) encode(e *enc) {
	for _, n := range g.nodes {
		e.msg(1, n.encode)
	}
	e.str(2, g.name)
	for _, t := range g.initializers {
		e.msg(5, t.encode)
	}
	for _, v := range g.inputs {
		e.msg(11, v.encode)
	}
	for _, v := range g.outputs {
		e.msg(12, v.encode)
	}
}

func (n *nodeProto) encode(e *enc) {
	for _, s := range n.inputs {
		e.str(1, s)
	}
	for _, s := range n.outputs {
		e.str(2, s)
	}
	e.str(3, n.name)
	e.str(4, n.opType)
	if n.domain != "" {
		e.str(7, n.domain)
	}
	for _, a := range n.attrs {
		e.msg(5, a.encode)
	}
}

// encode writes the attribute types the exporter (and the tests) use:
// float, int, string, ints, strings and tensor.
func (a *attribute) encode(e *enc) {
	e.str(1, a.name)
	switch a.typ {
	case attrFloat:
		e.float(2, a.f)
	case attrInt:
		e.varint(3, a.i)
	case attrString:
		e.bytes(4, a.s)
	case attrInts:
		e.packedInts(8, a.ints)
	case attrStrings:
		for _, s := range a.strings {
			e.bytes(9, s)
		}
	case attrTensor:
		e.msg(5, a.t.encode)
	}
	e.varint(20, a.typ)
}

func (t *tensorProto) encode(e *enc) {
	if len(t.dims) > 0 {
		e.packedInts(1, t.dims)
	}
	e.varint(2, t.dataType)
	for _, s := range t.stringData {
		e.bytes(6, s)
	}
	if len(t.int64Data) > 0 {
		e.packedInts(7, t.int64Data)
	}
	e.str(8, t.name)
	if t.hasRaw {
		e.bytes(9, t.raw)
	}
	if t.external {
		e.varint(14, 1) // data_location EXTERNAL
	}
}

func (v *valueInfo) encode(e *enc) {
	e.str(1, v.name)
	e.msg(2, func(e *enc) { // TypeProto
		e.msg(1, func(e *enc) { // TypeProto.Tensor
			e.varint(1, v.elemType)
			e.msg(2, func(e *enc) { // TensorShapeProto
				for _, d := range v.dims {
					e.msg(1, func(e *enc) {
						if d.known {
							e.varint(1, d.value)
						} else {
							e.str(2, d.param)
						}
					})
				}
			})
		})
	})
}

// ---- decoding ----

// decodeError is what the decoder reports: the message path and what is
// wrong there.
type decodeError struct {
	path string
	msg  string
}

func (e *decodeError) Error() string { return e.path + ": " + e.msg }

// field is one decoded field of a message.
type field struct {
	num protowire.Number
	typ protowire.Type
	u   uint64 // varint, fixed32 and fixed64 values
	b   []byte // length-delimited values (a sub-slice of the input)
}

// fields calls fn for each field of the message b, in order. It checks
// every length against the bytes that remain, so a hostile input cannot
// make it read or allocate beyond b.
func fields(path string, b []byte, fn func(f field) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return &decodeError{path, fmt.Sprintf("bad field tag: %v", protowire.ParseError(n))}
		}
		b = b[n:]
		f := field{num: num, typ: typ}
		switch typ {
		case protowire.VarintType:
			f.u, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(b)
			f.u = uint64(v)
		case protowire.Fixed64Type:
			f.u, n = protowire.ConsumeFixed64(b)
		case protowire.BytesType:
			f.b, n = protowire.ConsumeBytes(b)
		default: // groups (obsolete) and invalid types: skip them whole
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n >= 0 {
				b = b[n:]
				continue
			}
		}
		if n < 0 {
			return &decodeError{path, fmt.Sprintf("field %d: %v", num, protowire.ParseError(n))}
		}
		b = b[n:]
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// wrongType is the error for a field whose wire type is not the schema's.
func wrongType(path string, f field) error {
	return &decodeError{path, fmt.Sprintf("field %d has wire type %d, which its schema does not allow", f.num, f.typ)}
}

// scalar returns f's varint value, or an error if f is not a varint.
func scalar(path string, f field) (int64, error) {
	if f.typ != protowire.VarintType {
		return 0, wrongType(path, f)
	}
	return int64(f.u), nil
}

// text returns f's bytes as a string, or an error if f is not
// length-delimited.
func text(path string, f field) (string, error) {
	if f.typ != protowire.BytesType {
		return "", wrongType(path, f)
	}
	return string(f.b), nil
}

// varints appends the values of a repeated varint field, packed or not.
func varints(path string, dst []int64, f field) ([]int64, error) {
	switch f.typ {
	case protowire.VarintType:
		return append(dst, int64(f.u)), nil
	case protowire.BytesType:
		for b := f.b; len(b) > 0; {
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return nil, &decodeError{path, fmt.Sprintf("packed field %d: %v", f.num, protowire.ParseError(n))}
			}
			dst = append(dst, int64(v))
			b = b[n:]
		}
		return dst, nil
	}
	return nil, wrongType(path, f)
}

// fixed appends the values of a repeated fixed32 or fixed64 field
// (size 4 or 8), packed or not, converted by conv.
func fixed[E any](path string, dst []E, f field, size int, conv func(uint64) E) ([]E, error) {
	want := protowire.Fixed32Type
	if size == 8 {
		want = protowire.Fixed64Type
	}
	switch f.typ {
	case want:
		return append(dst, conv(f.u)), nil
	case protowire.BytesType:
		if len(f.b)%size != 0 {
			return nil, &decodeError{path, fmt.Sprintf("packed field %d has %d bytes, not a multiple of %d", f.num, len(f.b), size)}
		}
		dst = growTo(dst, len(f.b)/size)
		for b := f.b; len(b) > 0; b = b[size:] {
			if size == 4 {
				v, _ := protowire.ConsumeFixed32(b)
				dst = append(dst, conv(uint64(v)))
			} else {
				v, _ := protowire.ConsumeFixed64(b)
				dst = append(dst, conv(v))
			}
		}
		return dst, nil
	}
	return nil, wrongType(path, f)
}

// growTo makes room for n more elements in s; n is bounded by the bytes
// that hold them.
func growTo[E any](s []E, n int) []E {
	if cap(s)-len(s) < n {
		t := make([]E, len(s), len(s)+n)
		copy(t, s)
		return t
	}
	return s
}

func f32(u uint64) float32 { return math.Float32frombits(uint32(u)) }
func f64(u uint64) float64 { return math.Float64frombits(u) }

// decodeModel decodes a ModelProto.
func decodeModel(b []byte) (*modelProto, error) {
	m := &modelProto{}
	const p = "ModelProto"
	err := fields(p, b, func(f field) error {
		var err error
		switch f.num {
		case 1:
			m.irVersion, err = scalar(p+".ir_version", f)
		case 2:
			m.producerName, err = text(p+".producer_name", f)
		case 3:
			m.producerVersion, err = text(p+".producer_version", f)
		case 7:
			if f.typ != protowire.BytesType {
				return wrongType(p+".graph", f)
			}
			m.graph, err = decodeGraph(p+".graph", f.b)
		case 8:
			var o opsetID
			o, err = decodeOpset(p+".opset_import", f)
			m.opsets = append(m.opsets, o)
		case 14:
			var kv entry
			kv, err = decodeEntry(p+".metadata_props", f)
			m.metadata = append(m.metadata, kv)
		case 20, 25:
			m.functions = true
		}
		return err
	})
	return m, err
}

func decodeOpset(p string, f field) (opsetID, error) {
	var o opsetID
	if f.typ != protowire.BytesType {
		return o, wrongType(p, f)
	}
	err := fields(p, f.b, func(f field) error {
		var err error
		switch f.num {
		case 1:
			o.domain, err = text(p+".domain", f)
		case 2:
			o.version, err = scalar(p+".version", f)
		}
		return err
	})
	return o, err
}

func decodeEntry(p string, f field) (entry, error) {
	var kv entry
	if f.typ != protowire.BytesType {
		return kv, wrongType(p, f)
	}
	err := fields(p, f.b, func(f field) error {
		var err error
		switch f.num {
		case 1:
			kv.key, err = text(p+".key", f)
		case 2:
			kv.value, err = text(p+".value", f)
		}
		return err
	})
	return kv, err
}

func decodeGraph(p string, b []byte) (*graphProto, error) {
	g := &graphProto{}
	err := fields(p, b, func(f field) error {
		if f.num == 1 || f.num == 5 || f.num == 11 || f.num == 12 {
			if f.typ != protowire.BytesType {
				return wrongType(p, f)
			}
		}
		var err error
		switch f.num {
		case 1:
			var n *nodeProto
			n, err = decodeNode(fmt.Sprintf("%s.node[%d]", p, len(g.nodes)), f.b)
			g.nodes = append(g.nodes, n)
		case 2:
			g.name, err = text(p+".name", f)
		case 5:
			var t *tensorProto
			t, err = decodeTensor(fmt.Sprintf("%s.initializer[%d]", p, len(g.initializers)), f.b)
			g.initializers = append(g.initializers, t)
		case 11:
			var v *valueInfo
			v, err = decodeValueInfo(fmt.Sprintf("%s.input[%d]", p, len(g.inputs)), f.b)
			g.inputs = append(g.inputs, v)
		case 12:
			var v *valueInfo
			v, err = decodeValueInfo(fmt.Sprintf("%s.output[%d]", p, len(g.outputs)), f.b)
			g.outputs = append(g.outputs, v)
		case 15:
			g.sparse = true
		}
		return err
	})
	return g, err
}

func decodeNode(p string, b []byte) (*nodeProto, error) {
	n := &nodeProto{}
	err := fields(p, b, func(f field) error {
		var err error
		var s string
		switch f.num {
		case 1:
			s, err = text(p+".input", f)
			n.inputs = append(n.inputs, s)
		case 2:
			s, err = text(p+".output", f)
			n.outputs = append(n.outputs, s)
		case 3:
			n.name, err = text(p+".name", f)
		case 4:
			n.opType, err = text(p+".op_type", f)
		case 7:
			n.domain, err = text(p+".domain", f)
		case 5:
			if f.typ != protowire.BytesType {
				return wrongType(p+".attribute", f)
			}
			var a *attribute
			a, err = decodeAttribute(fmt.Sprintf("%s.attribute[%d]", p, len(n.attrs)), f.b)
			n.attrs = append(n.attrs, a)
		}
		return err
	})
	return n, err
}

func decodeAttribute(p string, b []byte) (*attribute, error) {
	a := &attribute{}
	err := fields(p, b, func(f field) error {
		var err error
		switch f.num {
		case 1:
			a.name, err = text(p+".name", f)
		case 20:
			a.typ, err = scalar(p+".type", f)
		case 21:
			a.refAttr, err = text(p+".ref_attr_name", f)
		case 2:
			if f.typ != protowire.Fixed32Type {
				return wrongType(p+".f", f)
			}
			a.f, a.hasValue = f32(f.u), true
		case 3:
			a.i, err = scalar(p+".i", f)
			a.hasValue = true
		case 4:
			if f.typ != protowire.BytesType {
				return wrongType(p+".s", f)
			}
			a.s, a.hasValue = f.b, true
		case 5:
			if f.typ != protowire.BytesType {
				return wrongType(p+".t", f)
			}
			a.t, err = decodeTensor(p+".t", f.b)
			a.hasValue = true
		case 6, 11: // g, graphs
			a.graph, a.hasValue = true, true
		case 7:
			a.floats, err = fixed(p+".floats", a.floats, f, 4, f32)
			a.hasValue = true
		case 8:
			a.ints, err = varints(p+".ints", a.ints, f)
			a.hasValue = true
		case 9:
			if f.typ != protowire.BytesType {
				return wrongType(p+".strings", f)
			}
			a.strings, a.hasValue = append(a.strings, f.b), true
		}
		return err
	})
	return a, err
}

func decodeTensor(p string, b []byte) (*tensorProto, error) {
	t := &tensorProto{}
	err := fields(p, b, func(f field) error {
		var err error
		switch f.num {
		case 1:
			t.dims, err = varints(p+".dims", t.dims, f)
		case 2:
			t.dataType, err = scalar(p+".data_type", f)
		case 3:
			t.segment = true
		case 4:
			t.floatData, err = fixed(p+".float_data", t.floatData, f, 4, f32)
		case 5:
			var vs []int64
			if vs, err = varints(p+".int32_data", nil, f); err == nil {
				t.int32Data = growTo(t.int32Data, len(vs))
				for _, v := range vs {
					t.int32Data = append(t.int32Data, int32(v))
				}
			}
		case 6:
			if f.typ != protowire.BytesType {
				return wrongType(p+".string_data", f)
			}
			t.stringData = append(t.stringData, f.b)
		case 7:
			t.int64Data, err = varints(p+".int64_data", t.int64Data, f)
		case 8:
			t.name, err = text(p+".name", f)
		case 9:
			if f.typ != protowire.BytesType {
				return wrongType(p+".raw_data", f)
			}
			t.raw, t.hasRaw = f.b, true
		case 10:
			t.doubleData, err = fixed(p+".double_data", t.doubleData, f, 8, f64)
		case 13:
			t.external = true
		case 14:
			var loc int64
			loc, err = scalar(p+".data_location", f)
			if loc != 0 {
				t.external = true
			}
		}
		return err
	})
	return t, err
}

func decodeValueInfo(p string, b []byte) (*valueInfo, error) {
	v := &valueInfo{}
	err := fields(p, b, func(f field) error {
		var err error
		switch f.num {
		case 1:
			v.name, err = text(p+".name", f)
		case 2:
			if f.typ != protowire.BytesType {
				return wrongType(p+".type", f)
			}
			err = fields(p+".type", f.b, func(f field) error {
				if f.num != 1 { // not a tensor type: sequence, map, optional, sparse
					return nil
				}
				if f.typ != protowire.BytesType {
					return wrongType(p+".type.tensor_type", f)
				}
				v.tensor = true
				return v.decodeTensorType(p+".type.tensor_type", f.b)
			})
		}
		return err
	})
	return v, err
}

func (v *valueInfo) decodeTensorType(p string, b []byte) error {
	return fields(p, b, func(f field) error {
		var err error
		switch f.num {
		case 1:
			v.elemType, err = scalar(p+".elem_type", f)
		case 2:
			if f.typ != protowire.BytesType {
				return wrongType(p+".shape", f)
			}
			v.hasShape = true
			err = fields(p+".shape", f.b, func(f field) error {
				if f.num != 1 {
					return nil
				}
				if f.typ != protowire.BytesType {
					return wrongType(p+".shape.dim", f)
				}
				var d dimension
				err := fields(p+".shape.dim", f.b, func(f field) error {
					var err error
					switch f.num {
					case 1:
						d.value, err = scalar(p+".shape.dim.dim_value", f)
						d.known = true
					case 2:
						d.param, err = text(p+".shape.dim.dim_param", f)
					}
					return err
				})
				v.dims = append(v.dims, d)
				return err
			})
		}
		return err
	})
}
