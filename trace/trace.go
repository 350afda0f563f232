package trace

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

var (
	// ErrOptions is wrapped by the error New returns for invalid Options.
	ErrOptions = errors.New("invalid trace options")
	// ErrUnsupported is wrapped by the error New returns for a network
	// whose backward step is not the element-wise "delta = error ⊙ slope"
	// the tutorials show: a softmax layer anywhere but at the output of a
	// cross-entropy network.
	ErrUnsupported = errors.New("cannot trace")
)

// Layout says how samples are laid out in the matrices a Trace shows.
type Layout int

const (
	// Rows puts samples in rows, as nerve and the numpy tutorials do: X is
	// samples×features, W is inputs×outputs and Z = X·W + b. It is the
	// zero value.
	Rows Layout = iota
	// Columns puts samples in columns, as deeplearning.ai's L-layer
	// tutorial does: every matrix is shown transposed, so X is
	// features×samples, W is outputs×inputs, b is a column and
	// Z = W·X + b.
	Columns
)

// String returns "rows" or "columns".
func (l Layout) String() string {
	switch l {
	case Rows:
		return "rows"
	case Columns:
		return "columns"
	}
	return fmt.Sprintf("layout(%d)", int(l))
}

// ParseLayout returns the layout named s: "rows" or "columns".
func ParseLayout(s string) (Layout, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "rows":
		return Rows, nil
	case "columns":
		return Columns, nil
	}
	return 0, fmt.Errorf("%w: unknown layout %q (want rows or columns)", ErrOptions, s)
}

// Options say which iteration to trace and how to show it. The zero value
// traces the first iteration, samples as rows, at learning rate 1.
type Options struct {
	// Iteration is the iteration to trace, counting from 1: New first
	// runs Iteration−1 plain iterations (Forward, Backward, Update) on a
	// copy of the network. 0 means 1.
	Iteration int
	// Layout is how the matrices are drawn; the numbers are the same.
	Layout Layout
	// LR is the learning rate of the update steps, and of the iterations
	// before the traced one. 0 means 1, the implicit rate of the iamtrask
	// programs; the Analytics Vidhya tutorial uses 0.1.
	LR float64
	// Title heads the rendered trace; "" means "One training iteration,
	// step by step".
	Title string
}

// Trace is one training iteration laid out step by step.
type Trace struct {
	Title     string
	Iteration int     // the traced iteration, from 1
	Layout    Layout  // how the matrices are drawn
	LR        float64 // the learning rate of the update steps
	Loss      loss.Kind
	Reduction loss.Reduction
	Samples   int   // rows of X
	Sizes     []int // inputs, then every layer's units
	// Activations has every layer's activation.
	Activations []activation.Kind
	Steps       []*Step
}

// Cell is the position of one element of a matrix as drawn, counting
// from 0.
type Cell struct{ Row, Col int }

// Matrix is one value a step reads or computes.
type Matrix struct {
	// ID is unique within a trace: "X", "y", "W1", "b1", "Z1", "A1", "E",
	// "slope1", "d1", "Error1", and "W1.new", "b1.new" for the weights
	// after the update. Layers count from 1.
	ID string
	// Name is how the equations call it: the ID, or "new W1" for
	// "W1.new".
	Name string
	// Vidhya and Trask are the variable names of the Analytics Vidhya
	// and iamtrask tutorials ("hidden_layer_input"; "l1"); "" when the
	// tutorial has none.
	Vidhya, Trask string
	// Go says where nerve keeps the value, e.g. "cache.Layers[0].Z" for
	// cache := net.Forward(X), with a leading "−" for the tutorials'
	// quantities that are nerve's gradients negated, and a trailing "ᵀ"
	// when the Columns layout shows the transpose.
	Go string
	// Value is the matrix as drawn: transposed under the Columns layout.
	Value *tensor.Dense[float64]

	rows *tensor.Dense[float64] // the value in nerve's layout, samples as rows
}

// Shape returns the drawn matrix's shape as "rows×cols".
func (m *Matrix) Shape() string { return fmt.Sprintf("%d×%d", m.Value.Rows(), m.Value.Cols()) }

// Source is a set of cells of one matrix that a result cell was computed
// from.
type Source struct {
	Matrix *Matrix
	Cells  []Cell
}

// Focus is the one result cell of a step that the renderings single out
// and work through.
type Focus struct {
	Result int  // index into Step.Results
	Cell   Cell // as drawn
}

// Step is one step of the iteration: what it computes, with which
// equation, under which names, from what.
type Step struct {
	// Number is the step's position in the trace, from 0.
	Number int
	// Tutorial is the step of the one-hidden-layer walk-through (see the
	// package documentation) that this step is; for such a network it
	// equals Number.
	Tutorial int
	// Layer is the layer the step is about, from 1, or 0 for a step about
	// all of them.
	Layer int
	Title string
	// Equations are in the trace's names for its layout, one per line.
	Equations []string
	// Vidhya and Trask are the tutorials' lines of numpy for the step;
	// Trask is empty for networks with biases, which iamtrask's have not.
	Vidhya, Trask []string
	// Go names the functions in nerve that compute the step, with their
	// files.
	Go []string
	// Note, if not empty, is a remark on how the step departs from the
	// tutorials (another loss, a fused output layer).
	Note string
	// Inputs are the matrices the step reads, computed by earlier steps.
	Inputs []*Matrix
	// Results are the matrices the step computes.
	Results []*Matrix
	// Focus is the result cell the renderings work through.
	Focus Focus

	layout  Layout
	deps    map[*Matrix][]dep
	explain func(num func(float64) string) []string
}

// Sources returns, for the cell c (as drawn) of Results[result], the
// cells of the matrices it was computed from, in the order the equation
// reads them: inputs of the step, or for a result computed from another
// result of the same step (output from Z), that result. A result read
// from nothing (X, y, the initial weights) has no sources. Sources panics
// if result or c is out of range.
func (s *Step) Sources(result int, c Cell) []Source {
	m := s.Results[result]
	r, k := m.Value.Dims()
	if c.Row < 0 || c.Row >= r || c.Col < 0 || c.Col >= k {
		panic(fmt.Sprintf("trace: Sources: cell (%d, %d) is outside %s %s", c.Row, c.Col, m.ID, m.Shape()))
	}
	i, j := c.Row, c.Col
	if s.layout == Columns {
		i, j = j, i
	}
	var out []Source
	for _, d := range s.deps[m] {
		cells := d.p.cells(i, j, d.m.rows)
		if s.layout == Columns {
			for n, x := range cells {
				cells[n] = Cell{x.Col, x.Row}
			}
		}
		out = append(out, Source{Matrix: d.m, Cells: cells})
	}
	return out
}

// Explain works the focus cell out with its numbers, formatted with the
// given digits after the decimal point: one line per equation, such as
// "A1[0,0] = σ(Z1[0,0]) = σ(1.02) = 0.735".
func (s *Step) Explain(digits int) []string {
	if s.explain == nil {
		return nil
	}
	return s.explain(numFormat(digits))
}

// Matrix returns the matrix with the given ID, or nil.
func (t *Trace) Matrix(id string) *Matrix {
	for _, s := range t.Steps {
		for _, m := range s.Results {
			if m.ID == id {
				return m
			}
		}
	}
	return nil
}

// pattern is which cells of an operand a result cell (i, j) reads, in
// nerve's layout.
type pattern int

const (
	same  pattern = iota // (i, j): element-wise
	rowI                 // row i: the left factor of a product
	colJ                 // column j: the right factor, or a sum over rows
	rowJ                 // row j: a transposed right factor (W in d·Wᵀ)
	colI                 // column i: a transposed left factor (A in Aᵀ·d)
	biasJ                // (0, j): a bias broadcast over the rows
)

type dep struct {
	m *Matrix
	p pattern
}

// cells returns the cells of an operand with nerve-layout value v that
// the result cell (i, j) reads.
func (p pattern) cells(i, j int, v *tensor.Dense[float64]) []Cell {
	r, c := v.Dims()
	var out []Cell
	switch p {
	case same:
		out = append(out, Cell{i, j})
	case rowI, rowJ:
		for k := range c {
			out = append(out, Cell{p.index(i, j), k})
		}
	case colJ, colI:
		for k := range r {
			out = append(out, Cell{k, p.index(i, j)})
		}
	case biasJ:
		out = append(out, Cell{0, j})
	}
	return out
}

// index returns the row or column that a row or column pattern reads
// whole: i for rowI and colI, j for rowJ and colJ.
func (p pattern) index(i, j int) int {
	if p == rowI || p == colI {
		return i
	}
	return j
}

// New traces iteration o.Iteration of training net on the samples X
// (samples×features) with targets y (samples×outputs): that iteration's
// forward pass, backward pass and update, computed by nerve's own
// (*nn.Network).Forward, Backward and Update and activation.Slope. It
// works on a copy: net, X and y are not modified.
//
// New returns an error wrapping ErrOptions for invalid options, nn's
// ErrConfig for an invalid network, nn's ErrShape when X or y does not fit
// it, and ErrUnsupported for a softmax layer that is not the output of a
// cross-entropy network.
func New(net *nn.Network[float64], X, y *tensor.Dense[float64], o Options) (*Trace, error) {
	if o.Iteration < 0 {
		return nil, fmt.Errorf("%w: iteration %d, want ≥ 1", ErrOptions, o.Iteration)
	}
	if o.Iteration == 0 {
		o.Iteration = 1
	}
	if o.LR == 0 {
		o.LR = 1
	}
	if !(o.LR > 0) || math.IsInf(o.LR, 0) {
		return nil, fmt.Errorf("%w: learning rate %v, want a finite number > 0", ErrOptions, o.LR)
	}
	if o.Layout != Rows && o.Layout != Columns {
		return nil, fmt.Errorf("%w: %v", ErrOptions, o.Layout)
	}
	if o.Title == "" {
		o.Title = "One training iteration, step by step"
	}
	if net == nil {
		return nil, fmt.Errorf("trace: %w: nil network", nn.ErrConfig)
	}
	if err := net.Validate(); err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	if X.Rows() == 0 {
		return nil, fmt.Errorf("trace: %w: X has no samples", nn.ErrShape)
	}
	fused := loss.LogitActivation(net.Loss) != ""
	for i, l := range net.Layers {
		if l.Activation == activation.Softmax && (i < len(net.Layers)-1 || !fused) {
			return nil, fmt.Errorf("trace: %w: layer %d is softmax, whose slope is a Jacobian, not an element-wise f′(Z); only a softmax output layer with the cross-entropy loss can be traced", ErrUnsupported, i+1)
		}
	}

	n := net.Clone()
	for k := 1; k < o.Iteration; k++ {
		c, err := n.Forward(X)
		if err != nil {
			return nil, fmt.Errorf("trace: iteration %d: %w", k, err)
		}
		g, err := n.Backward(c, y)
		if err != nil {
			return nil, fmt.Errorf("trace: iteration %d: %w", k, err)
		}
		n.Update(g, o.LR)
	}
	cache, err := n.Forward(X) // Z = A_prev·W + b, A = f(Z), layer by layer
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	grads, err := n.Backward(cache, y) // dA, dZ, dW, db, dA_prev per layer
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	after := n.Clone()
	after.Update(grads, o.LR) // W −= lr·dW, b −= lr·db

	t := &Trace{
		Title:     o.Title,
		Iteration: o.Iteration,
		Layout:    o.Layout,
		LR:        o.LR,
		Loss:      n.Loss,
		Reduction: n.Reduction,
		Samples:   X.Rows(),
		Sizes:     []int{n.Inputs()},
	}
	for _, l := range n.Layers {
		t.Sizes = append(t.Sizes, l.Outputs())
		t.Activations = append(t.Activations, l.Activation)
	}
	b := &builder{t: t, net: n, after: after, cache: cache, grads: grads, fused: fused, L: len(n.Layers)}
	b.build(X.Clone(), y.Clone())
	return t, nil
}
