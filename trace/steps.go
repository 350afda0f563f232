package trace

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

// builder turns one Forward, Backward and Update into the steps of a
// Trace.
type builder struct {
	t     *Trace
	net   *nn.Network[float64] // as the traced iteration starts
	after *nn.Network[float64] // after its Update
	cache *nn.Cache[float64]
	grads *nn.Gradients[float64]
	fused bool // the loss starts from dZ (cross-entropy on sigmoid or softmax)
	L     int  // number of layers

	X, y, E                      *Matrix
	W, B, Z, A, slope, d, errors []*Matrix // [l−1] is layer l's
}

// neg returns 0 − v: exactly −v, except that a zero stays +0, so that
// an inactive ReLU unit shows 0, not −0.
func neg(v *tensor.Dense[float64]) *tensor.Dense[float64] {
	out := tensor.Zeros[float64](v.Dims())
	out.Sub(out, v)
	return out
}

// matrix makes a Matrix of the nerve-layout value v.
func (b *builder) matrix(id, vidhya, trask, goExpr string, v *tensor.Dense[float64]) *Matrix {
	m := &Matrix{ID: id, Name: id, Vidhya: vidhya, Trask: trask, Go: goExpr, Value: v, rows: v}
	if b.t.Layout == Columns {
		m.Value = v.Transpose()
		m.Go += "ᵀ"
	}
	return m
}

// add appends s to the trace.
func (b *builder) add(s *Step) {
	s.Number = len(b.t.Steps)
	s.layout = b.t.Layout
	if s.deps == nil {
		s.deps = map[*Matrix][]dep{}
	}
	b.t.Steps = append(b.t.Steps, s)
}

// from records that result r of s reads the given operands.
func (s *Step) from(r *Matrix, deps ...dep) {
	if s.deps == nil {
		s.deps = map[*Matrix][]dep{}
	}
	s.deps[r] = deps
}

func (b *builder) cols() bool { return b.t.Layout == Columns }

// vid returns Analytics Vidhya's name for a value of layer l: out for the
// output layer, hid for the hidden layer of a one-hidden-layer network,
// and hid with the layer number for deeper ones.
func (b *builder) vid(l int, hid, out string) string {
	switch {
	case l == b.L:
		return out
	case b.L == 2:
		return hid
	}
	return hid + strconv.Itoa(l)
}

func (b *builder) hasBias() bool {
	for _, l := range b.net.Layers {
		if l.B != nil {
			return true
		}
	}
	return false
}

// trask returns lines when the network looks like iamtrask's (no biases
// anywhere), and nothing otherwise.
func (b *builder) trask(lines ...string) []string {
	if b.hasBias() {
		return nil
	}
	return lines
}

// aPrev is layer l's input: X or the activation of the layer below.
func (b *builder) aPrev(l int) *Matrix {
	if l == 1 {
		return b.X
	}
	return b.A[l-2]
}

// ref names cell (0, 0), the focus of every step, of m.
func ref(m *Matrix) string { return m.Name + "[0,0]" }

// row0 names row 0 of m in nerve's layout as drawn: m[0,:], or m[:,0]
// when the layout shows the transpose; col0 names column 0.
func (b *builder) row0(m *Matrix) string {
	if b.cols() {
		return m.Name + "[:,0]"
	}
	return m.Name + "[0,:]"
}

func (b *builder) col0(m *Matrix) string {
	if b.cols() {
		return m.Name + "[0,:]"
	}
	return m.Name + "[:,0]"
}

// fname is how an equation writes activation k.
func fname(k activation.Kind) string {
	if k == activation.Sigmoid {
		return "σ"
	}
	return k.String()
}

// pyname is how the numpy lines call activation k.
func pyname(k activation.Kind) string {
	if k == activation.Tanh {
		return "np.tanh"
	}
	return strings.ReplaceAll(k.String(), "-", "_")
}

// numFormat formats numbers in explanations: digits after the point,
// trailing zeros dropped.
func numFormat(digits int) func(float64) string {
	return func(v float64) string {
		s := strconv.FormatFloat(v, 'f', digits, 64)
		if strings.ContainsRune(s, '.') {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		if s == "-0" {
			s = "0"
		}
		return s
	}
}

// factor formats v as a factor of a product: negative numbers in
// parentheses.
func factor(num func(float64) string, v float64) string {
	s := num(v)
	if strings.HasPrefix(s, "-") {
		return "(" + s + ")"
	}
	return s
}

// dot writes Σₖ a[k]·c[k] with its numbers, eliding the middle of a
// long sum.
func dot(num func(float64) string, a, c []float64) string {
	var terms []string
	for k := range a {
		if len(a) > 6 && k == 4 {
			terms = append(terms, fmt.Sprintf("… (%d more)", len(a)-5))
			k = len(a) - 1
			terms = append(terms, factor(num, a[k])+"·"+factor(num, c[k]))
			break
		}
		terms = append(terms, factor(num, a[k])+"·"+factor(num, c[k]))
	}
	return strings.Join(terms, " + ")
}

func row(v *tensor.Dense[float64], i int) []float64 { return v.Row(i) }

func col(v *tensor.Dense[float64], j int) []float64 {
	out := make([]float64, v.Rows())
	for i := range out {
		out[i] = v.At(i, j)
	}
	return out
}

func (b *builder) build(X, y *tensor.Dense[float64]) {
	L := b.L
	b.X = b.matrix("X", "X", "l0", "X", X)
	b.y = b.matrix("y", "y", "y", "y", y)
	b.W = make([]*Matrix, L)
	b.B = make([]*Matrix, L)
	b.Z = make([]*Matrix, L)
	b.A = make([]*Matrix, L)
	b.slope = make([]*Matrix, L)
	b.d = make([]*Matrix, L)
	b.errors = make([]*Matrix, L)
	for i, layer := range b.net.Layers {
		l := i + 1
		b.W[i] = b.matrix(fmt.Sprintf("W%d", l), b.vid(l, "wh", "wout"), fmt.Sprintf("syn%d", i), fmt.Sprintf("net.Layers[%d].W", i), layer.W)
		if layer.B != nil {
			b.B[i] = b.matrix(fmt.Sprintf("b%d", l), b.vid(l, "bh", "bout"), "", fmt.Sprintf("net.Layers[%d].B", i), layer.B)
		}
	}
	b.readStep()
	b.initStep()
	for l := 1; l < L; l++ {
		b.inputStep(l)
		b.activationStep(l)
	}
	b.outputStep()
	b.errorStep()
	b.slopeStep()
	b.outputDeltaStep()
	for l := L - 1; l >= 1; l-- {
		b.hiddenErrorStep(l)
		b.hiddenDeltaStep(l)
	}
	b.weightStep()
	if b.hasBias() {
		b.biasStep()
	}
}

// pyArray writes v as a numpy literal, or elides it when it is large or
// its numbers are long.
func pyArray(v *tensor.Dense[float64]) string {
	elided := fmt.Sprintf("np.array(…)  # %d×%d", v.Rows(), v.Cols())
	if v.Rows()*v.Cols() > 48 {
		return elided
	}
	for _, x := range v.Data() {
		if len(strconv.FormatFloat(x, 'g', -1, 64)) > 8 {
			return elided
		}
	}
	var sb strings.Builder
	sb.WriteString("np.array([")
	for i := range v.Rows() {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('[')
		for j, x := range v.Row(i) {
			if j > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		}
		sb.WriteByte(']')
	}
	sb.WriteString("])")
	return sb.String()
}

func (b *builder) readStep() {
	per := "row"
	if b.cols() {
		per = "column"
	}
	goData := "X, y *tensor.Dense[float64], samples as rows (tensor/dense.go)"
	if b.cols() {
		goData += ", drawn transposed"
	}
	s := &Step{
		Tutorial: 0,
		Title:    "Read the inputs X and the targets y",
		Equations: []string{
			fmt.Sprintf("X is %s: one sample per %s", b.X.Shape(), per),
			fmt.Sprintf("y is %s: one target per %s", b.y.Shape(), per),
		},
		Vidhya:  []string{"X = " + pyArray(b.X.rows), "y = " + pyArray(b.y.rows)},
		Trask:   b.trask("X = "+pyArray(b.X.rows), "y = "+pyArray(b.y.rows), "l0 = X"),
		Go:      []string{goData},
		Results: []*Matrix{b.X, b.y},
	}
	X, y := b.X.rows, b.y.rows
	s.explain = func(num func(float64) string) []string {
		return []string{
			fmt.Sprintf("%s = %s: feature 1 of sample 1", ref(b.X), num(X.At(0, 0))),
			fmt.Sprintf("%s = %s: the target of sample 1", ref(b.y), num(y.At(0, 0))),
		}
	}
	b.add(s)
}

func (b *builder) initStep() {
	s := &Step{Tutorial: 1}
	shape := "inputs×units"
	if b.cols() {
		shape = "units×inputs"
	}
	for i, layer := range b.net.Layers {
		l := i + 1
		eq := fmt.Sprintf("W%d is %s (%s)", l, b.W[i].Shape(), shape)
		if b.B[i] != nil {
			eq += fmt.Sprintf(", b%d is %s", l, b.B[i].Shape())
		}
		eq += fmt.Sprintf(", activation %s", layer.Activation)
		s.Equations = append(s.Equations, eq)
		in, out := layer.W.Dims()
		s.Vidhya = append(s.Vidhya, fmt.Sprintf("%s = np.random.uniform(size=(%d, %d))", b.W[i].Vidhya, in, out))
		if b.B[i] != nil {
			s.Vidhya = append(s.Vidhya, fmt.Sprintf("%s = np.random.uniform(size=(1, %d))", b.B[i].Vidhya, out))
		}
		s.Trask = append(s.Trask, fmt.Sprintf("%s = 2*np.random.random((%d,%d)) - 1", b.W[i].Trask, in, out))
		s.Results = append(s.Results, b.W[i])
		if b.B[i] != nil {
			s.Results = append(s.Results, b.B[i])
		}
	}
	s.Trask = b.trask(s.Trask...)
	if k := b.t.Iteration; k > 1 {
		s.Title = fmt.Sprintf("The weights and biases after %d iterations", k-1)
		s.Go = []string{fmt.Sprintf("(*nn.Network).Forward, Backward and Update, %d times at lr %g (nn/network.go)", k-1, b.t.LR)}
		s.Note = "The tutorials' numpy lines are how the first iteration's weights were drawn."
	} else {
		s.Title = "Initialise the weights and biases"
		s.Go = []string{"nn.New draws every layer's W, then its b, row-major from an rng.Source (nn/network.go, nn/init.go)"}
		s.Note = "These are the network's own values; nn.New with the tutorial's initialiser and np.random.seed draws numpy's numbers."
	}
	W := b.W[0].rows
	s.explain = func(num func(float64) string) []string {
		return []string{fmt.Sprintf("%s = %s: the weight from input 1 to unit 1 of layer 1", ref(b.W[0]), num(W.At(0, 0)))}
	}
	b.add(s)
}

// linear fills in Z = A_prev·W + b of layer l: its equation, numpy lines,
// and dependencies.
func (b *builder) linear(s *Step, l int) {
	i := l - 1
	ap, W, B := b.aPrev(l), b.W[i], b.B[i]
	z := b.matrix(fmt.Sprintf("Z%d", l), b.vid(l, "hidden_layer_input", "output_layer_input"), "", fmt.Sprintf("cache.Layers[%d].Z", i), b.cache.Layers[i].Z)
	b.Z[i] = z
	eq := fmt.Sprintf("%s = %s·%s", z.Name, ap.Name, W.Name)
	if b.cols() {
		eq = fmt.Sprintf("%s = %s·%s", z.Name, W.Name, ap.Name)
	}
	py := fmt.Sprintf("%s = np.dot(%s, %s)", z.Vidhya, ap.Vidhya, W.Vidhya)
	deps := []dep{{ap, rowI}, {W, colJ}}
	if B != nil {
		eq += " + " + B.Name
		py = fmt.Sprintf("%s1 = np.dot(%s, %s)", z.Vidhya, ap.Vidhya, W.Vidhya)
		s.Vidhya = append(s.Vidhya, py)
		py = fmt.Sprintf("%s = %s1 + %s", z.Vidhya, z.Vidhya, B.Vidhya)
		deps = append(deps, dep{B, biasJ})
		s.Inputs = append(s.Inputs, ap, W, B)
	} else {
		s.Inputs = append(s.Inputs, ap, W)
	}
	s.Vidhya = append(s.Vidhya, py)
	s.Equations = append(s.Equations, eq)
	s.Go = append(s.Go, "(*nn.Layer).Forward (nn/layer.go): Z = A_prev·W by tensor.MatMul, then Z += b")
	s.Results = append(s.Results, z)
	s.from(z, deps...)
}

// linearExplain works out Z[0,0] = A_prev[0,:]·W[:,0] + b[0,0].
func (b *builder) linearExplain(num func(float64) string, l int) string {
	i := l - 1
	ap, W, B, z := b.aPrev(l), b.W[i], b.B[i], b.Z[i]
	a, w := row(ap.rows, 0), col(W.rows, 0)
	sym := fmt.Sprintf("%s = %s·%s", ref(z), b.row0(ap), b.col0(W))
	nums := dot(num, a, w)
	if b.cols() {
		sym = fmt.Sprintf("%s = %s·%s", ref(z), b.col0(W), b.row0(ap))
		nums = dot(num, w, a)
	}
	if B != nil {
		sym += " + " + ref(B)
		nums += " + " + factor(num, B.rows.At(0, 0))
	}
	return fmt.Sprintf("%s = %s = %s", sym, nums, num(z.rows.At(0, 0)))
}

// activate fills in A = f(Z) of layer l.
func (b *builder) activate(s *Step, l int, vidhya string) {
	i := l - 1
	k := b.net.Layers[i].Activation
	a := b.matrix(fmt.Sprintf("A%d", l), vidhya, fmt.Sprintf("l%d", l), fmt.Sprintf("cache.Layers[%d].A", i), b.cache.Layers[i].A)
	b.A[i] = a
	z := b.Z[i]
	name := a.Name
	if l == b.L {
		name = "output = " + a.Name
	}
	s.Equations = append(s.Equations, fmt.Sprintf("%s = %s(%s)", name, fname(k), z.Name))
	s.Vidhya = append(s.Vidhya, fmt.Sprintf("%s = %s(%s)", a.Vidhya, pyname(k), z.Vidhya))
	s.Trask = append(s.Trask, fmt.Sprintf("l%d = nonlin(np.dot(l%d,syn%d))", l, l-1, i))
	s.Go = append(s.Go, "(*nn.Layer).Forward (nn/layer.go): A = f(Z), element by element as activation.Forward (activation/activation.go) computes it")
	s.Results = append(s.Results, a)
	s.from(a, dep{z, same})
}

func (b *builder) activationExplain(num func(float64) string, l int) string {
	i := l - 1
	k := b.net.Layers[i].Activation
	z, a := b.Z[i], b.A[i]
	return fmt.Sprintf("%s = %s(%s) = %s(%s) = %s", ref(a), fname(k), ref(z), fname(k), num(z.rows.At(0, 0)), num(a.rows.At(0, 0)))
}

func (b *builder) inputStep(l int) {
	s := &Step{Tutorial: 2, Layer: l, Title: "Hidden layer input"}
	if b.L > 2 {
		s.Title = fmt.Sprintf("Hidden layer %d input", l)
	}
	b.linear(s, l)
	s.Trask = b.trask(fmt.Sprintf("np.dot(l%d,syn%d)", l-1, l-1))
	s.explain = func(num func(float64) string) []string { return []string{b.linearExplain(num, l)} }
	b.add(s)
}

func (b *builder) activationStep(l int) {
	s := &Step{Tutorial: 3, Layer: l, Title: "Hidden layer activation", Inputs: []*Matrix{b.Z[l-1]}}
	if b.L > 2 {
		s.Title = fmt.Sprintf("Hidden layer %d activation", l)
	}
	b.activate(s, l, b.vid(l, "hiddenlayer_activations", "output"))
	s.Trask = b.trask(s.Trask...)
	s.explain = func(num func(float64) string) []string { return []string{b.activationExplain(num, l)} }
	b.add(s)
}

func (b *builder) outputStep() {
	L := b.L
	s := &Step{Tutorial: 4, Layer: L, Title: "Output layer"}
	b.linear(s, L)
	b.activate(s, L, "output")
	s.Trask = b.trask(s.Trask...)
	s.explain = func(num func(float64) string) []string {
		return []string{b.linearExplain(num, L), b.activationExplain(num, L)}
	}
	b.add(s)
}

// errorScale returns the factor c of E = c·(y − output) for the trace's
// loss, as a fraction num/den, and the loss written out.
func (b *builder) errorScale() (num, den int, formula string) {
	m, k := b.t.Samples, b.t.Sizes[len(b.t.Sizes)-1]
	num, den = 1, 1
	switch b.t.Loss {
	case loss.SSE:
		num, formula = 2, "Σ(y − output)²"
	case loss.HalfSSE:
		formula = "½·Σ(y − output)²"
	case loss.MSE:
		num, den, formula = 2, k, "Σ(y − output)²/k"
	case loss.BinaryCrossEntropy:
		den, formula = k, "−Σ[y·log(output) + (1 − y)·log(1 − output)]/k"
	case loss.CrossEntropy:
		formula = "−Σ y·log(output)"
	}
	if b.t.Reduction == loss.Mean {
		den *= m
		formula = "(" + formula + ")/m"
	}
	if k > 1 && (b.t.Loss == loss.MSE || b.t.Loss == loss.BinaryCrossEntropy) {
		formula += fmt.Sprintf(", k = %d", k)
	}
	if b.t.Reduction == loss.Mean {
		formula += fmt.Sprintf(", m = %d", m)
	}
	return num, den, formula
}

func (b *builder) errorStep() {
	L := b.L
	out := b.A[L-1]
	var e *tensor.Dense[float64]
	wrt, goLine := "output", "loss.Gradient (loss/loss.go), called by (*nn.Network).OutputDelta (nn/network.go): dA = ∂L/∂output = −E"
	goExpr := fmt.Sprintf("−grads.Layers[%d].DA", L-1)
	if b.fused {
		e = neg(b.grads.Layers[L-1].DZ)
		wrt = b.Z[L-1].Name
		goLine = "loss.GradientLogits (loss/loss.go), called by (*nn.Network).OutputDelta (nn/network.go): dZ = ∂L/∂Z = −E, straight from the logits"
		goExpr = fmt.Sprintf("−grads.Layers[%d].DZ", L-1)
	} else {
		e = neg(b.grads.Layers[L-1].DA)
	}
	b.E = b.matrix("E", "E", fmt.Sprintf("l%d_error", L), goExpr, e)
	num, den, formula := b.errorScale()
	// scaled writes c·(x), or x alone when c is 1.
	scaled := func(x string) string {
		switch {
		case den == 1 && num == 1:
			return x
		case den == 1:
			return fmt.Sprintf("%d·(%s)", num, x)
		}
		return fmt.Sprintf("(%d/%d)·(%s)", num, den, x)
	}
	s := &Step{
		Tutorial: 5,
		Layer:    L,
		Title:    "Error at the output",
		Equations: []string{
			fmt.Sprintf("E = %s", scaled("y − output")),
			fmt.Sprintf("E = −∂L/∂%s for the loss L = %s", wrt, formula),
		},
		Vidhya:  []string{"E = y-output"},
		Trask:   b.trask(fmt.Sprintf("l%d_error = y - l%d", L, L)),
		Go:      []string{goLine},
		Inputs:  []*Matrix{b.y, out},
		Results: []*Matrix{b.E},
	}
	if b.t.Loss != loss.HalfSSE || b.t.Reduction != loss.Sum {
		s.Note = fmt.Sprintf("The tutorials descend the half sum of squared errors, summed over the samples, for which E = y − output; this network's loss is %s (%s).", b.t.Loss, b.t.Reduction)
	}
	s.from(b.E, dep{b.y, same}, dep{out, same})
	y := b.y.rows
	s.explain = func(f func(float64) string) []string {
		return []string{fmt.Sprintf("%s = %s = %s = %s", ref(b.E), scaled(ref(b.y)+" − "+ref(out)), scaled(f(y.At(0, 0))+" − "+factor(f, out.rows.At(0, 0))), f(e.At(0, 0)))}
	}
	b.add(s)
}

// slopeEquation writes f′(Z) of layer l out.
func slopeEquation(k activation.Kind, l int) string {
	A, Z := fmt.Sprintf("A%d", l), fmt.Sprintf("Z%d", l)
	head := fmt.Sprintf("slope%d = %s′(%s)", l, fname(k), Z)
	switch k {
	case activation.Sigmoid, activation.Softmax:
		return head + fmt.Sprintf(" = %s ⊙ (1 − %s)", A, A)
	case activation.Tanh:
		return head + fmt.Sprintf(" = 1 − %s²", A)
	case activation.ReLU:
		return head + fmt.Sprintf(" = 1 where %s > 0, else 0", Z)
	case activation.LeakyReLU:
		return head + fmt.Sprintf(" = 1 where %s > 0, else %g", Z, activation.LeakySlope)
	}
	return head + " = 1"
}

// slopeFromA reports whether the tutorials compute f′ from A = f(Z).
func slopeFromA(k activation.Kind) bool {
	return k == activation.Sigmoid || k == activation.Tanh || k == activation.Softmax
}

func (b *builder) slopeStep() {
	s := &Step{Tutorial: 6, Title: "Slopes of the activations"}
	first := b.L
	if b.fused {
		first = b.L - 1
		s.Note = fmt.Sprintf("The output layer needs no slope: with the %s loss its %s′ cancels, and nerve starts from dZ = c·(output − y).", b.t.Loss, fname(b.net.Layers[b.L-1].Activation))
	}
	for l := first; l >= 1; l-- {
		i := l - 1
		k := b.net.Layers[i].Activation
		z, a := b.Z[i], b.A[i]
		sv := tensor.Zeros[float64](z.rows.Dims())
		activation.Slope(k, sv, z.rows, a.rows) // f′(Z), as activation.Backward applies it
		m := b.matrix(fmt.Sprintf("slope%d", l), b.vid(l, "slope_hidden_layer", "slope_output_layer"), "", fmt.Sprintf("f′(cache.Layers[%d].Z)", i), sv)
		b.slope[i] = m
		src := z
		if slopeFromA(k) {
			src = a
		}
		s.Inputs = append(s.Inputs, src)
		s.Results = append(s.Results, m)
		s.from(m, dep{src, same})
		s.Equations = append(s.Equations, slopeEquation(k, l))
		s.Vidhya = append(s.Vidhya, fmt.Sprintf("%s = derivatives_%s(%s)", m.Vidhya, strings.ReplaceAll(k.String(), "-", "_"), src.Vidhya))
		s.Trask = append(s.Trask, fmt.Sprintf("nonlin(l%d,deriv=True)", l))
	}
	if len(s.Results) == 0 {
		return // a single fused layer: nothing to show
	}
	s.Trask = b.trask(s.Trask...)
	s.Go = []string{"activation.Slope(f, slope, Z, A) (activation/activation.go); (*nn.Network).OutputDelta and (*nn.Layer).Backward apply the same f′ inside activation.Backward"}
	m := s.Results[0]
	l, _ := strconv.Atoi(strings.TrimPrefix(m.ID, "slope"))
	k := b.net.Layers[l-1].Activation
	src := s.Inputs[0]
	s.explain = func(f func(float64) string) []string {
		v, r := src.rows.At(0, 0), f(m.rows.At(0, 0))
		switch k {
		case activation.Sigmoid, activation.Softmax:
			return []string{fmt.Sprintf("%s = %s·(1 − %s) = %s·(1 − %s) = %s", ref(m), ref(src), ref(src), factor(f, v), factor(f, v), r)}
		case activation.Tanh:
			return []string{fmt.Sprintf("%s = 1 − %s² = 1 − %s² = %s", ref(m), ref(src), factor(f, v), r)}
		}
		return []string{fmt.Sprintf("%s = %s′(%s) = %s′(%s) = %s", ref(m), fname(k), ref(src), fname(k), f(v), r)}
	}
	b.add(s)
}

func (b *builder) outputDeltaStep() {
	L := b.L
	d := b.matrix(fmt.Sprintf("d%d", L), "d_output", fmt.Sprintf("l%d_delta", L), fmt.Sprintf("−grads.Layers[%d].DZ", L-1), neg(b.grads.Layers[L-1].DZ))
	b.d[L-1] = d
	s := &Step{
		Tutorial: 7,
		Layer:    L,
		Title:    "Delta at the output layer",
		Results:  []*Matrix{d},
	}
	if b.fused {
		s.Equations = []string{fmt.Sprintf("%s = E", d.Name)}
		s.Vidhya = []string{"d_output = E"}
		s.Go = []string{"loss.GradientLogits (loss/loss.go), called by (*nn.Network).OutputDelta (nn/network.go): dZ = −d"}
		s.Inputs = []*Matrix{b.E}
		s.from(d, dep{b.E, same})
		s.explain = func(f func(float64) string) []string {
			return []string{fmt.Sprintf("%s = %s = %s", ref(d), ref(b.E), f(d.rows.At(0, 0)))}
		}
	} else {
		sl := b.slope[L-1]
		s.Equations = []string{fmt.Sprintf("%s = E ⊙ %s", d.Name, sl.Name)}
		s.Vidhya = []string{"d_output = E * slope_output_layer"}
		s.Trask = b.trask(fmt.Sprintf("l%d_delta = l%d_error*nonlin(l%d,deriv=True)", L, L, L))
		s.Go = []string{fmt.Sprintf("(*nn.Network).OutputDelta (nn/network.go): dZ = dA ⊙ f′(Z) as activation.Backward computes it; grads.Layers[%d].DZ = −%s", L-1, d.Name)}
		s.Inputs = []*Matrix{b.E, sl}
		s.from(d, dep{b.E, same}, dep{sl, same})
		s.explain = func(f func(float64) string) []string {
			return []string{fmt.Sprintf("%s = %s·%s = %s·%s = %s", ref(d), ref(b.E), ref(sl), factor(f, b.E.rows.At(0, 0)), factor(f, sl.rows.At(0, 0)), f(d.rows.At(0, 0)))}
		}
	}
	b.add(s)
}

func (b *builder) hiddenErrorStep(l int) {
	i := l - 1
	up, W := b.d[l], b.W[l] // layer l+1's delta and weights
	e := b.matrix(fmt.Sprintf("Error%d", l), b.vid(l, "Error_at_hidden_layer", ""), fmt.Sprintf("l%d_error", l), fmt.Sprintf("−grads.Layers[%d].DAPrev", l), neg(b.grads.Layers[l].DAPrev))
	b.errors[i] = e
	eq := fmt.Sprintf("%s = %s·%sᵀ", e.Name, up.Name, W.Name)
	if b.cols() {
		eq = fmt.Sprintf("%s = %sᵀ·%s", e.Name, W.Name, up.Name)
	}
	s := &Step{
		Tutorial:  8,
		Layer:     l,
		Title:     b.hiddenTitle("Error", l),
		Equations: []string{eq},
		Vidhya:    []string{fmt.Sprintf("%s = %s.dot(%s.T)", e.Vidhya, up.Vidhya, W.Vidhya)},
		Trask:     b.trask(fmt.Sprintf("l%d_error = l%d_delta.dot(syn%d.T)", l, l+1, l)),
		Go:        []string{fmt.Sprintf("(*nn.Layer).Backward and LinearBackward (nn/layer.go): dA_prev = dZ·Wᵀ by tensor.MatMul; %s = −grads.Layers[%d].DAPrev", e.Name, l)},
		Inputs:    []*Matrix{up, W},
		Results:   []*Matrix{e},
	}
	s.from(e, dep{up, rowI}, dep{W, rowJ})
	s.explain = func(f func(float64) string) []string {
		dv, wv := row(up.rows, 0), row(W.rows, 0)
		sym := fmt.Sprintf("%s = %s·%s", ref(e), b.row0(up), b.row0(W))
		nums := dot(f, dv, wv)
		if b.cols() {
			sym = fmt.Sprintf("%s = %s·%s", ref(e), b.row0(W), b.row0(up))
			nums = dot(f, wv, dv)
		}
		return []string{fmt.Sprintf("%s = %s = %s", sym, nums, f(e.rows.At(0, 0)))}
	}
	b.add(s)
}

// hiddenTitle is the title of a step at hidden layer l: "Error at the
// hidden layer" when there is one, "Error at hidden layer 2" when there
// are more.
func (b *builder) hiddenTitle(what string, l int) string {
	if b.L > 2 {
		return fmt.Sprintf("%s at hidden layer %d", what, l)
	}
	return what + " at the hidden layer"
}

func (b *builder) hiddenDeltaStep(l int) {
	i := l - 1
	e, sl := b.errors[i], b.slope[i]
	d := b.matrix(fmt.Sprintf("d%d", l), b.vid(l, "d_hiddenlayer", ""), fmt.Sprintf("l%d_delta", l), fmt.Sprintf("−grads.Layers[%d].DZ", i), neg(b.grads.Layers[i].DZ))
	b.d[i] = d
	s := &Step{
		Tutorial:  9,
		Layer:     l,
		Title:     b.hiddenTitle("Delta", l),
		Equations: []string{fmt.Sprintf("%s = %s ⊙ %s", d.Name, e.Name, sl.Name)},
		Vidhya:    []string{fmt.Sprintf("%s = %s * %s", d.Vidhya, e.Vidhya, sl.Vidhya)},
		Trask:     b.trask(fmt.Sprintf("l%d_delta = l%d_error * nonlin(l%d,deriv=True)", l, l, l)),
		Go:        []string{fmt.Sprintf("(*nn.Layer).Backward (nn/layer.go): dZ = dA ⊙ f′(Z) as activation.Backward computes it; grads.Layers[%d].DZ = −%s", i, d.Name)},
		Inputs:    []*Matrix{e, sl},
		Results:   []*Matrix{d},
	}
	s.from(d, dep{e, same}, dep{sl, same})
	s.explain = func(f func(float64) string) []string {
		return []string{fmt.Sprintf("%s = %s·%s = %s·%s = %s", ref(d), ref(e), ref(sl), factor(f, e.rows.At(0, 0)), factor(f, sl.rows.At(0, 0)), f(d.rows.At(0, 0)))}
	}
	b.add(s)
}

func (b *builder) lrText() string {
	return fmt.Sprintf("lr = %s", strconv.FormatFloat(b.t.LR, 'g', -1, 64))
}

func (b *builder) weightStep() {
	s := &Step{Tutorial: 10, Title: "Update the weights"}
	lr := ""
	if b.t.LR != 1 {
		lr = " * lr"
	}
	for l := b.L; l >= 1; l-- {
		i := l - 1
		W, ap, d := b.W[i], b.aPrev(l), b.d[i]
		nw := b.matrix(W.ID+".new", W.Vidhya, W.Trask, fmt.Sprintf("net.Layers[%d].W", i), b.after.Layers[i].W)
		nw.Name, nw.Go = "new "+W.Name, nw.Go+" after Update"
		eq := fmt.Sprintf("%s += %sᵀ·%s·lr", W.Name, ap.Name, d.Name)
		if b.cols() {
			eq = fmt.Sprintf("%s += %s·%sᵀ·lr", W.Name, d.Name, ap.Name)
		}
		s.Equations = append(s.Equations, eq)
		s.Vidhya = append(s.Vidhya, fmt.Sprintf("%s += %s.T.dot(%s) * lr", W.Vidhya, ap.Vidhya, d.Vidhya))
		s.Trask = append(s.Trask, fmt.Sprintf("syn%d += l%d.T.dot(l%d_delta)%s", i, l-1, l, lr))
		s.Inputs = append(s.Inputs, W, ap, d)
		s.Results = append(s.Results, nw)
		s.from(nw, dep{W, same}, dep{ap, colI}, dep{d, colJ})
	}
	s.Equations = append(s.Equations, b.lrText())
	s.Trask = b.trask(s.Trask...)
	s.Go = []string{
		"(*nn.Layer).Backward and LinearBackward (nn/layer.go): dW = A_prevᵀ·dZ = −A_prevᵀ·d by tensor.MatMul",
		"(*nn.Layer).Update (nn/layer.go): W = W − lr·dW",
	}
	L := b.L
	W, ap, d, nw := b.W[L-1], b.aPrev(L), b.d[L-1], s.Results[0]
	s.explain = func(f func(float64) string) []string {
		av, dv := col(ap.rows, 0), col(d.rows, 0)
		sym := fmt.Sprintf("%s = %s + lr·%s·%s", ref(nw), ref(W), b.col0(ap), b.col0(d))
		nums := dot(f, av, dv)
		if b.cols() {
			sym = fmt.Sprintf("%s = %s + lr·%s·%s", ref(nw), ref(W), b.col0(d), b.col0(ap))
			nums = dot(f, dv, av)
		}
		return []string{fmt.Sprintf("%s = %s + %s·(%s) = %s", sym, f(W.rows.At(0, 0)), f(b.t.LR), nums, f(nw.rows.At(0, 0)))}
	}
	b.add(s)
}

func (b *builder) biasStep() {
	s := &Step{Tutorial: 11, Title: "Update the biases"}
	for l := b.L; l >= 1; l-- {
		i := l - 1
		B, d := b.B[i], b.d[i]
		if B == nil {
			continue
		}
		nb := b.matrix(B.ID+".new", B.Vidhya, "", fmt.Sprintf("net.Layers[%d].B", i), b.after.Layers[i].B)
		nb.Name, nb.Go = "new "+B.Name, nb.Go+" after Update"
		over := "rows"
		if b.cols() {
			over = "columns"
		}
		s.Equations = append(s.Equations, fmt.Sprintf("%s += (sum of %s over its %s)·lr", B.Name, d.Name, over))
		s.Vidhya = append(s.Vidhya, fmt.Sprintf("%s += np.sum(%s, axis=0, keepdims=True) * lr", B.Vidhya, d.Vidhya))
		s.Inputs = append(s.Inputs, B, d)
		s.Results = append(s.Results, nb)
		s.from(nb, dep{B, same}, dep{d, colJ})
	}
	s.Equations = append(s.Equations, b.lrText())
	s.Go = []string{
		"(*nn.Layer).Backward and LinearBackward (nn/layer.go): db = Σᵢ dZ[i,:] = −Σᵢ d[i,:]",
		"(*nn.Layer).Update (nn/layer.go): b = b − lr·db",
	}
	nb := s.Results[0]
	B, d := s.Inputs[0], s.Inputs[1]
	s.explain = func(f func(float64) string) []string {
		dv := col(d.rows, 0)
		terms := make([]string, len(dv))
		for i, v := range dv {
			terms[i] = factor(f, v)
		}
		if len(terms) > 6 {
			terms = append(terms[:4], fmt.Sprintf("… (%d more)", len(dv)-5), terms[len(terms)-1])
		}
		return []string{fmt.Sprintf("%s = %s + lr·Σ %s = %s + %s·(%s) = %s", ref(nb), ref(B), b.col0(d), f(B.rows.At(0, 0)), f(b.t.LR), strings.Join(terms, " + "), f(nb.rows.At(0, 0)))}
	}
	b.add(s)
}
