package onnx

import (
	"fmt"
	"math"
	"slices"
)

// A tiny reference evaluator of ONNX graphs, written from the operator
// specifications for the operators and attribute values nerve's exports
// use, so that the Go tests can run an exported graph without a runtime
// and compare it with the model. It refuses anything else, so a change
// to the exporter that it does not understand fails the tests rather
// than passing unchecked. Values are computed in float64 and rounded to
// float32 after each node whose output is float, as a float32 runtime
// would store them.

const typeBool = 9 // TensorProto.BOOL

// evalTensor is a value: dims and the elements of its type.
type evalTensor struct {
	dims []int
	elem int64
	f    []float64 // float, double
	i    []int64   // int64
	s    []string  // string
	b    []bool    // bool
}

func floatTensor(elem int64, dims []int, f []float64) *evalTensor {
	if elem == typeFloat {
		for k, v := range f {
			f[k] = float64(float32(v))
		}
	}
	return &evalTensor{dims: dims, elem: elem, f: f}
}

// evaluate runs the graph of mp on the feeds (one per graph input) and
// returns its outputs by name.
func evaluate(mp *modelProto, feeds map[string]*evalTensor) (map[string]*evalTensor, error) {
	vals := map[string]*evalTensor{}
	for _, in := range mp.graph.initializers {
		v, err := constant(in)
		if err != nil {
			return nil, fmt.Errorf("initializer %q: %v", in.name, err)
		}
		t := &evalTensor{elem: v.dtype, f: v.floats, i: v.ints, s: v.strings}
		for _, d := range v.dims {
			t.dims = append(t.dims, int(d))
		}
		vals[in.name] = t
	}
	for _, in := range mp.graph.inputs {
		f, ok := feeds[in.name]
		if !ok {
			return nil, fmt.Errorf("no feed for input %q", in.name)
		}
		if f.elem != in.elemType || len(f.dims) != len(in.dims) {
			return nil, fmt.Errorf("input %q: feed of type %d, %d dims; the graph wants type %d, %d dims", in.name, f.elem, len(f.dims), in.elemType, len(in.dims))
		}
		vals[in.name] = f
	}
	for i, n := range mp.graph.nodes {
		args := make([]*evalTensor, len(n.inputs))
		for k, name := range n.inputs {
			if args[k] = vals[name]; args[k] == nil {
				return nil, fmt.Errorf("node %d (%s): no value %q", i, n.opType, name)
			}
		}
		out, err := evalNode(n, args)
		if err != nil {
			return nil, fmt.Errorf("node %d %q (%s): %v", i, n.name, n.opType, err)
		}
		if len(n.outputs) != 1 {
			return nil, fmt.Errorf("node %d (%s): %d outputs", i, n.opType, len(n.outputs))
		}
		vals[n.outputs[0]] = out
	}
	outs := map[string]*evalTensor{}
	for _, o := range mp.graph.outputs {
		v := vals[o.name]
		if v == nil {
			return nil, fmt.Errorf("output %q is not computed", o.name)
		}
		if v.elem != o.elemType {
			return nil, fmt.Errorf("output %q has type %d, the graph declares %d", o.name, v.elem, o.elemType)
		}
		outs[o.name] = v
	}
	return outs, nil
}

// attrs returns the node's attributes by name, refusing any not in
// allowed.
func attrs(n *nodeProto, allowed ...string) (map[string]*attribute, error) {
	m := map[string]*attribute{}
	for _, a := range n.attrs {
		if !slices.Contains(allowed, a.name) {
			return nil, fmt.Errorf("attribute %s is not one the evaluator knows", a.name)
		}
		m[a.name] = a
	}
	return m, nil
}

// intOr returns an int attribute, def when absent.
func intOr(m map[string]*attribute, name string, def int64) int64 {
	if a, ok := m[name]; ok {
		return a.i
	}
	return def
}

// broadcast returns the multidirectional (numpy) broadcast of the
// tensors' dims and, for each tensor, the flat index of its element for
// each flat index of the result.
func broadcast(ts ...*evalTensor) ([]int, [][]int, error) {
	rank := 0
	for _, t := range ts {
		rank = max(rank, len(t.dims))
	}
	out := make([]int, rank)
	for d := range out {
		out[d] = 1
	}
	for _, t := range ts {
		for d, v := range t.dims {
			o := rank - len(t.dims) + d
			switch {
			case out[o] == 1:
				out[o] = v
			case v != 1 && v != out[o]:
				return nil, nil, fmt.Errorf("dims %v do not broadcast", t.dims)
			}
		}
	}
	size := 1
	for _, v := range out {
		size *= v
	}
	idx := make([][]int, len(ts))
	for k, t := range ts {
		idx[k] = make([]int, size)
		for flat := range size {
			rem, off, stride := flat, 0, 1
			for d := rank - 1; d >= 0; d-- {
				c := rem % out[d]
				rem /= out[d]
				td := d - (rank - len(t.dims))
				if td < 0 {
					continue
				}
				if t.dims[td] != 1 {
					off += c * stride
				}
				stride *= t.dims[td]
			}
			idx[k][flat] = off
		}
	}
	return out, idx, nil
}

func isFloat(t *evalTensor) bool { return t.elem == typeFloat || t.elem == typeDouble }

func evalNode(n *nodeProto, in []*evalTensor) (*evalTensor, error) {
	if n.domain != "" {
		return nil, fmt.Errorf("domain %q", n.domain)
	}
	switch n.opType {
	case "IsNaN":
		if _, err := attrs(n); err != nil || !isFloat(in[0]) {
			return nil, fmt.Errorf("want a float input and no attributes")
		}
		out := &evalTensor{dims: in[0].dims, elem: typeBool, b: make([]bool, len(in[0].f))}
		for k, v := range in[0].f {
			out.b[k] = math.IsNaN(v)
		}
		return out, nil
	case "Where":
		c, x, y := in[0], in[1], in[2]
		if c.elem != typeBool || x.elem != y.elem || !isFloat(x) {
			return nil, fmt.Errorf("want a bool condition and two floats of one type")
		}
		dims, idx, err := broadcast(c, x, y)
		if err != nil {
			return nil, err
		}
		f := make([]float64, len(idx[0]))
		for k := range f {
			f[k] = y.f[idx[2][k]]
			if c.b[idx[0][k]] {
				f[k] = x.f[idx[1][k]]
			}
		}
		return floatTensor(x.elem, dims, f), nil
	case "Sub", "Div", "Mul", "Add":
		a, b := in[0], in[1]
		if _, err := attrs(n); err != nil || a.elem != b.elem || !isFloat(a) {
			return nil, fmt.Errorf("want two floats of one type and no attributes")
		}
		dims, idx, err := broadcast(a, b)
		if err != nil {
			return nil, err
		}
		f := make([]float64, len(idx[0]))
		for k := range f {
			x, y := a.f[idx[0][k]], b.f[idx[1][k]]
			switch n.opType {
			case "Sub":
				f[k] = x - y
			case "Div":
				f[k] = x / y
			case "Mul":
				f[k] = x * y
			default:
				f[k] = x + y
			}
		}
		return floatTensor(a.elem, dims, f), nil
	case "TfIdfVectorizer":
		return evalTfIdf(n, in[0])
	case "ReduceSum":
		x := in[0]
		a, err := attrs(n, "keepdims")
		if err != nil || len(in) != 2 || !isFloat(x) || len(x.dims) != 2 || !slices.Equal(in[1].i, []int64{1}) || intOr(a, "keepdims", 1) != 1 {
			return nil, fmt.Errorf("want the sum over axis 1 of a 2-D float, keepdims 1")
		}
		f := make([]float64, x.dims[0])
		for r := range f {
			for c := range x.dims[1] {
				f[r] += x.f[r*x.dims[1]+c]
			}
		}
		return floatTensor(x.elem, []int{x.dims[0], 1}, f), nil
	case "Cast":
		a, err := attrs(n, "to")
		to := intOr(a, "to", 0)
		if err != nil || !isFloat(in[0]) || (to != typeFloat && to != typeDouble) {
			return nil, fmt.Errorf("want a float cast to float or double")
		}
		return floatTensor(to, in[0].dims, slices.Clone(in[0].f)), nil
	case "Concat":
		a, err := attrs(n, "axis")
		if ax := intOr(a, "axis", 0); err != nil || (ax != 1 && ax != -1) {
			return nil, fmt.Errorf("want axis 1")
		}
		rows, cols := in[0].dims[0], 0
		for _, t := range in {
			if len(t.dims) != 2 || t.dims[0] != rows || t.elem != in[0].elem || !isFloat(t) {
				return nil, fmt.Errorf("want 2-D floats of one type with %d rows", rows)
			}
			cols += t.dims[1]
		}
		f := make([]float64, 0, rows*cols)
		for r := range rows {
			for _, t := range in {
				f = append(f, t.f[r*t.dims[1]:(r+1)*t.dims[1]]...)
			}
		}
		return floatTensor(in[0].elem, []int{rows, cols}, f), nil
	case "Gemm":
		return evalGemm(n, in)
	case "Relu", "Sigmoid", "Tanh", "LeakyRelu":
		a, err := attrs(n, "alpha")
		alpha := 0.01
		if v, ok := a["alpha"]; ok {
			alpha = float64(v.f)
		}
		if err != nil || !isFloat(in[0]) {
			return nil, fmt.Errorf("want a float")
		}
		f := make([]float64, len(in[0].f))
		for k, z := range in[0].f {
			switch n.opType {
			case "Relu":
				f[k] = max(z, 0)
			case "Sigmoid":
				f[k] = 1 / (1 + math.Exp(-z))
			case "Tanh":
				f[k] = math.Tanh(z)
			default:
				f[k] = z
				if z < 0 {
					f[k] = alpha * z
				}
			}
		}
		return floatTensor(in[0].elem, in[0].dims, f), nil
	case "Softmax":
		a, err := attrs(n, "axis")
		z := in[0]
		if ax := intOr(a, "axis", -1); err != nil || len(z.dims) != 2 || (ax != 1 && ax != -1) {
			return nil, fmt.Errorf("want axis 1 of a 2-D float")
		}
		f := make([]float64, len(z.f))
		c := z.dims[1]
		for r := range z.dims[0] {
			row := z.f[r*c : (r+1)*c]
			m, s := slices.Max(row), 0.0
			for j, v := range row {
				f[r*c+j] = math.Exp(v - m)
				s += f[r*c+j]
			}
			for j := range row {
				f[r*c+j] /= s
			}
		}
		return floatTensor(z.elem, z.dims, f), nil
	case "ArgMax":
		a, err := attrs(n, "axis", "keepdims")
		p := in[0]
		if err != nil || len(p.dims) != 2 || intOr(a, "axis", 0) != 1 || intOr(a, "keepdims", 1) != 0 {
			return nil, fmt.Errorf("want axis 1, keepdims 0 of a 2-D float")
		}
		out := &evalTensor{dims: []int{p.dims[0]}, elem: typeInt64}
		for r := range p.dims[0] {
			row := p.f[r*p.dims[1] : (r+1)*p.dims[1]]
			out.i = append(out.i, int64(slices.Index(row, slices.Max(row)))) // the first of equal maxima
		}
		return out, nil
	case "Gather":
		a, err := attrs(n, "axis")
		d, k := in[0], in[1]
		if err != nil || intOr(a, "axis", 0) != 0 || len(d.dims) != 1 || k.elem != typeInt64 {
			return nil, fmt.Errorf("want axis 0 of a 1-D tensor, int64 indices")
		}
		out := &evalTensor{dims: k.dims, elem: d.elem}
		for _, j := range k.i {
			if j < 0 || int(j) >= d.dims[0] {
				return nil, fmt.Errorf("index %d out of range", j)
			}
			switch d.elem {
			case typeString:
				out.s = append(out.s, d.s[j])
			case typeInt64:
				out.i = append(out.i, d.i[j])
			default:
				return nil, fmt.Errorf("data of type %d", d.elem)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("operator %s is not one the evaluator knows", n.opType)
}

// evalTfIdf counts, for each row of a string [N, C], the 1-grams of
// pool_strings: output [N, max(ngram_indexes)+1], float (mode TF).
func evalTfIdf(n *nodeProto, x *evalTensor) (*evalTensor, error) {
	a, err := attrs(n, "max_gram_length", "min_gram_length", "max_skip_count", "mode", "ngram_counts", "ngram_indexes", "pool_strings")
	if err != nil {
		return nil, err
	}
	pool, idx := a["pool_strings"], a["ngram_indexes"]
	switch {
	case x.elem != typeString || len(x.dims) != 2:
		return nil, fmt.Errorf("want a string [N, C]")
	case intOr(a, "max_gram_length", 0) != 1 || intOr(a, "min_gram_length", 0) != 1 || intOr(a, "max_skip_count", 0) != 0:
		return nil, fmt.Errorf("want 1-grams without skips")
	case a["mode"] == nil || string(a["mode"].s) != "TF" || a["ngram_counts"] == nil || !slices.Equal(a["ngram_counts"].ints, []int64{0}):
		return nil, fmt.Errorf("want mode TF and ngram_counts [0]")
	case pool == nil || idx == nil || len(pool.strings) != len(idx.ints) || len(idx.ints) == 0:
		return nil, fmt.Errorf("want pool_strings and ngram_indexes of one length")
	}
	width := int(slices.Max(idx.ints)) + 1
	rows, cols := x.dims[0], x.dims[1]
	f := make([]float64, rows*width)
	for r := range rows {
		for _, s := range x.s[r*cols : (r+1)*cols] {
			for j, p := range pool.strings {
				if string(p) == s {
					f[r*width+int(idx.ints[j])]++
				}
			}
		}
	}
	return floatTensor(typeFloat, []int{rows, width}, f), nil
}

// evalGemm computes A·B + C for transA 0, transB 0, alpha and beta 1.
func evalGemm(n *nodeProto, in []*evalTensor) (*evalTensor, error) {
	if _, err := attrs(n); err != nil {
		return nil, fmt.Errorf("want the default attributes: %v", err)
	}
	A, B := in[0], in[1]
	if len(A.dims) != 2 || len(B.dims) != 2 || A.dims[1] != B.dims[0] || A.elem != B.elem || !isFloat(A) {
		return nil, fmt.Errorf("A %v and B %v do not multiply", A.dims, B.dims)
	}
	r, k, c := A.dims[0], A.dims[1], B.dims[1]
	f := make([]float64, r*c)
	for i := range r {
		for j := range c {
			s := 0.0
			for t := range k {
				s += A.f[i*k+t] * B.f[t*c+j]
			}
			f[i*c+j] = s
		}
	}
	if len(in) == 3 {
		C := in[2]
		_, idx, err := broadcast(&evalTensor{dims: []int{r, c}}, C)
		if err != nil {
			return nil, err
		}
		for q := range f {
			f[q] += C.f[idx[1][q]]
		}
	}
	return floatTensor(A.elem, []int{r, c}, f), nil
}
