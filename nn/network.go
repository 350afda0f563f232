package nn

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"unsafe"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

var (
	// ErrShape is wrapped by errors about data whose shape does not fit
	// the network (wrong number of features or outputs, sample counts
	// that differ).
	ErrShape = errors.New("shape mismatch")
	// ErrConfig is wrapped by errors about an invalid network description.
	ErrConfig = errors.New("invalid network")
)

// LayerSpec describes one dense layer of a Config.
type LayerSpec struct {
	Units      int             // number of outputs, > 0
	Activation activation.Kind // zero value: identity
	NoBias     bool            // true for a layer without b
}

// Config describes a network to build with New. Its zero values are the
// documented defaults of each field's type: mean reduction, SSE loss,
// Auto weight initialization and zero biases.
type Config struct {
	Inputs     int         // features per sample, > 0
	Layers     []LayerSpec // hidden layers then the output layer
	Loss       loss.Kind
	Reduction  loss.Reduction
	WeightInit Initializer // Auto: He for ReLU-family layers, Glorot otherwise
	BiasInit   Initializer // Auto: zeros
}

// Network is a stack of dense layers with a loss.
type Network[T tensor.Float] struct {
	Layers    []*Layer[T]
	Loss      loss.Kind
	Reduction loss.Reduction
}

// New builds the network cfg describes, drawing its initial parameters
// from src layer by layer, W then b, each row-major: the order in which
// the tutorials call numpy (wh, bh, wout, bout). Values are drawn in
// float64 and converted to T. New does not modify cfg. It returns an error
// wrapping ErrConfig when cfg is invalid or src is nil.
func New[T tensor.Float](cfg Config, src *rng.Source) (*Network[T], error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if src == nil {
		return nil, fmt.Errorf("%w: New needs a random source for the initial weights, e.g. rng.New(seed)", ErrConfig)
	}
	n := &Network[T]{Loss: cfg.Loss, Reduction: cfg.Reduction}
	in := cfg.Inputs
	for _, ls := range cfg.Layers {
		w := tensor.Zeros[float64](in, ls.Units)
		wi := cfg.WeightInit
		if wi == Auto {
			wi = GlorotUniform
			if ls.Activation == activation.ReLU || ls.Activation == activation.LeakyReLU {
				wi = HeUniform
			}
		}
		wi.fill(w, in, ls.Units, src)
		l := &Layer[T]{W: tensor.Convert[T](w), Activation: ls.Activation}
		if !ls.NoBias {
			b := tensor.Zeros[float64](1, ls.Units)
			if cfg.BiasInit != Auto {
				cfg.BiasInit.fill(b, in, ls.Units, src)
			}
			l.B = tensor.Convert[T](b)
		}
		n.Layers = append(n.Layers, l)
		in = ls.Units
	}
	return n, nil
}

func (cfg Config) validate() error {
	if cfg.Inputs <= 0 {
		return fmt.Errorf("%w: Inputs is %d, want > 0", ErrConfig, cfg.Inputs)
	}
	if len(cfg.Layers) == 0 {
		return fmt.Errorf("%w: no layers", ErrConfig)
	}
	for i, l := range cfg.Layers {
		if l.Units <= 0 {
			return fmt.Errorf("%w: layer %d has %d units, want > 0", ErrConfig, i+1, l.Units)
		}
		if !l.Activation.Valid() {
			return fmt.Errorf("%w: layer %d: %v", ErrConfig, i+1, l.Activation)
		}
	}
	for _, in := range []Initializer{cfg.WeightInit, cfg.BiasInit} {
		if in < 0 || int(in) >= len(initNames) {
			return fmt.Errorf("%w: %v", ErrConfig, in)
		}
	}
	return checkLoss(cfg.Loss, cfg.Layers[len(cfg.Layers)-1].Activation)
}

// checkLoss rejects the cross-entropies on an output activation they are
// not defined for.
func checkLoss(k loss.Kind, out activation.Kind) error {
	if !k.Valid() {
		return fmt.Errorf("%w: %v", ErrConfig, k)
	}
	if want := loss.LogitActivation(k); want != "" && out.String() != want {
		return fmt.Errorf("%w: %s loss needs a %s output layer, got %s", ErrConfig, k, want, out)
	}
	return nil
}

// fromLogits reports whether the loss and its output delta are computed
// directly from the logits Z (sigmoid + binary cross-entropy, softmax +
// cross-entropy).
func (n *Network[T]) fromLogits() bool {
	return loss.LogitActivation(n.Loss) != ""
}

// Validate checks that the layers chain (each W has as many rows as the
// layer below has units), that biases are 1×units and that the loss fits
// the output activation. Networks built by New are valid; Validate is for
// networks assembled by hand from their exported fields.
func (n *Network[T]) Validate() error {
	if n == nil {
		return fmt.Errorf("%w: no network (nil)", ErrConfig)
	}
	if len(n.Layers) == 0 {
		return fmt.Errorf("%w: no layers", ErrConfig)
	}
	for i, l := range n.Layers {
		if l == nil || l.W == nil {
			return fmt.Errorf("%w: layer %d has no weights", ErrConfig, i+1)
		}
		if i > 0 && l.Inputs() != n.Layers[i-1].Outputs() {
			return fmt.Errorf("%w: layer %d: W is %s but layer %d has %d units", ErrConfig, i+1, l.W.Shape(), i, n.Layers[i-1].Outputs())
		}
		if l.B != nil && (l.B.Rows() != 1 || l.B.Cols() != l.Outputs()) {
			return fmt.Errorf("%w: layer %d: b is %s, want (1, %d)", ErrConfig, i+1, l.B.Shape(), l.Outputs())
		}
		if !l.Activation.Valid() {
			return fmt.Errorf("%w: layer %d: %v", ErrConfig, i+1, l.Activation)
		}
	}
	return checkLoss(n.Loss, n.Layers[len(n.Layers)-1].Activation)
}

// Inputs returns the number of features the network expects.
func (n *Network[T]) Inputs() int { return n.Layers[0].Inputs() }

// Outputs returns the number of output units.
func (n *Network[T]) Outputs() int { return n.Layers[len(n.Layers)-1].Outputs() }

// NumParams returns the number of weights and biases.
func (n *Network[T]) NumParams() int {
	c := 0
	for _, l := range n.Layers {
		c += l.Inputs() * l.Outputs()
		if l.B != nil {
			c += l.Outputs()
		}
	}
	return c
}

// Clone returns a deep copy of the network.
func (n *Network[T]) Clone() *Network[T] {
	c := &Network[T]{Loss: n.Loss, Reduction: n.Reduction}
	for _, l := range n.Layers {
		c.Layers = append(c.Layers, l.clone())
	}
	return c
}

// Cache holds every layer's forward values for one batch: Layers[l] has
// A_prev, Z and A of layer l+1 (the tutorials number layers from 1).
//
// The zero Cache is empty and ready for ForwardInto, which fills it and,
// called again, overwrites it in place.
type Cache[T tensor.Float] struct {
	Layers []LayerCache[T]

	lse []float64 // ForwardCostInto's log-sum-exp of each row of Z_L
}

// Output returns the network's output ŷ, the last layer's A.
func (c *Cache[T]) Output() *tensor.Dense[T] { return c.Layers[len(c.Layers)-1].A }

// Gradients holds every layer's gradients from one backward pass, indexed
// like the layers (Layers[0] is the first layer).
//
// The zero Gradients is empty and ready for BackwardInto, which fills it
// and, called again, overwrites it in place.
type Gradients[T tensor.Float] struct {
	Layers []LayerGradients[T]
	// NoInputGrad makes BackwardInto skip the gradient with respect to
	// the input X, leaving Layers[0].DAPrev nil: a training step does not
	// need it, and for a wide input it costs as much as the first
	// layer's dW. Backward always computes it.
	NoInputGrad bool

	step partStep[T] // the dW products, and BackwardStep's parameters and update
}

// checkX returns an error wrapping ErrShape if X does not have one column
// per network input.
func (n *Network[T]) checkX(X *tensor.Dense[T]) error {
	if err := n.Validate(); err != nil {
		return err
	}
	if X.Cols() != n.Inputs() {
		return fmt.Errorf("%w: input has %d features per sample, network expects %d", ErrShape, X.Cols(), n.Inputs())
	}
	return nil
}

// Forward propagates the batch X, (m, n0), through every layer with
// Layer.Forward, keeping each layer's A_prev, Z and A:
//
//	A_0 = X;  Z_l = A_(l−1)·W_l + b_l;  A_l = f_l(Z_l)   for l = 1 … L
//
// It returns new matrices, or an error wrapping ErrShape if X has the
// wrong number of columns. It does not modify the network. Training
// runs ForwardInto, which gives the same values, bit for bit.
func (n *Network[T]) Forward(X *tensor.Dense[T]) (*Cache[T], error) {
	if err := n.checkX(X); err != nil {
		return nil, err
	}
	c := &Cache[T]{Layers: make([]LayerCache[T], len(n.Layers))}
	a := X
	for i, l := range n.Layers {
		c.Layers[i] = l.Forward(a) // Z = A_prev·W + b, A = f(Z)
		a = c.Layers[i].A
	}
	return c, nil
}

// Predict returns the network's output for X. It never modifies the
// network, so any number of goroutines may call it at once. It computes
// only the activations, each hidden layer's over its Z, in two scratch
// buffers that a sync.Pool lends to one call at a time: once the pool
// holds buffers big enough, the returned matrix is the only allocation.
func (n *Network[T]) Predict(X *tensor.Dense[T]) (*tensor.Dense[T], error) {
	if err := n.checkX(X); err != nil {
		return nil, err
	}
	m, L := X.Rows(), len(n.Layers)
	out := tensor.Zeros[T](m, n.Outputs())
	s := getScratch[T]()
	a := X
	for i, l := range n.Layers {
		dst := out
		if i < L-1 {
			dst = s[i%2]
			dst.Resize(m, l.Outputs())
		}
		l.forwardTo(dst, dst, a) // A over Z: the hidden Z are not kept
		a = dst
	}
	putScratch(s)
	return out, nil
}

// scratch is a pair of buffers for Predict's hidden layers, used in turn.
type scratch[T tensor.Float] [2]*tensor.Dense[T]

// scratchPools hold a *scratch[float32] (index 0) or *scratch[float64].
var scratchPools [2]sync.Pool

func scratchPool[T tensor.Float]() *sync.Pool {
	var z T
	if unsafe.Sizeof(z) == 4 {
		return &scratchPools[0]
	}
	return &scratchPools[1]
}

// getScratch returns a pair of buffers from the pool, or new ones.
func getScratch[T tensor.Float]() *scratch[T] {
	if s, ok := scratchPool[T]().Get().(*scratch[T]); ok {
		return s
	}
	return &scratch[T]{tensor.Zeros[T](0, 0), tensor.Zeros[T](0, 0)}
}

// putScratch returns s to the pool, unless its buffers have grown beyond
// what a pool should keep alive (16 MiB each).
func putScratch[T tensor.Float](s *scratch[T]) {
	var z T
	for _, d := range s {
		if cap(d.Data())*int(unsafe.Sizeof(z)) > 16<<20 {
			return
		}
	}
	scratchPool[T]().Put(s)
}

// checkY returns an error wrapping ErrShape unless y has the shape of
// the cached output, and one wrapping loss.ErrWeight (and ErrShape too,
// for a count that is not y's samples) unless w is nil or holds a finite
// weight ≥ 0 for every sample.
func (n *Network[T]) checkY(c *Cache[T], y *tensor.Dense[T], w []float64) error {
	out := c.Output()
	return checkTargets(y, w, out.Rows(), out.Cols())
}

// checkTargets is checkY for an output of m rows and k columns.
func checkTargets[T tensor.Float](y *tensor.Dense[T], w []float64, m, k int) error {
	if y.Rows() != m || y.Cols() != k {
		return fmt.Errorf("%w: targets are %s, network output is (%d, %d)", ErrShape, y.Shape(), m, k)
	}
	if w != nil && len(w) != y.Rows() {
		return fmt.Errorf("%w: %w", ErrShape, loss.CheckWeights(w, y.Rows()))
	}
	return loss.CheckWeights(w, y.Rows())
}

// Cost returns the loss of the cached forward pass against targets y. For
// sigmoid + binary cross-entropy and softmax + cross-entropy it is
// computed from the logits Z, so it stays finite when a sigmoid or
// softmax saturates.
func (n *Network[T]) Cost(c *Cache[T], y *tensor.Dense[T]) (float64, error) {
	return n.CostWeighted(c, y, nil)
}

// CostWeighted is Cost with a weight w[i] ≥ 0 for each sample: under the
// Mean reduction the loss is Σᵢ wᵢℓᵢ / Σᵢ wᵢ, under Sum Σᵢ wᵢℓᵢ (see
// loss.ValueWeighted). A nil w is Cost, bit for bit. It returns an error
// wrapping loss.ErrWeight if a weight is negative or not finite, or w
// does not hold one weight per sample (then wrapping ErrShape too).
func (n *Network[T]) CostWeighted(c *Cache[T], y *tensor.Dense[T], w []float64) (float64, error) {
	if err := n.checkY(c, y, w); err != nil {
		return 0, err
	}
	return n.costWeighted(c, y, w), nil
}

// costWeighted is CostWeighted on checked arguments.
func (n *Network[T]) costWeighted(c *Cache[T], y *tensor.Dense[T], w []float64) float64 {
	last := c.Layers[len(c.Layers)-1]
	if n.fromLogits() {
		return loss.ValueLogitsWeighted(n.Loss, last.Z, y, w, n.Reduction)
	}
	return loss.ValueWeighted(n.Loss, last.A, y, w, n.Reduction)
}

// OutputDelta returns the output layer's delta dZ_L = ∂L/∂Z_L, (m, n_L),
// for the cached forward pass c and the targets y, and the gradient it
// comes from, dA_L = ∂L/∂ŷ:
//
//	dA_L = ∂L/∂ŷ (loss.Gradient);  dZ_L = dA_L ⊙ f′(Z_L)
//
// For sigmoid + binary cross-entropy and softmax + cross-entropy the
// slope cancels against the loss's derivative, and dZ_L = ŷ − y (scaled
// by the reduction, loss.GradientLogits) comes straight from the logits,
// with dA nil. It returns new matrices, or an error wrapping ErrShape if
// y is not the shape of the output.
func (n *Network[T]) OutputDelta(c *Cache[T], y *tensor.Dense[T]) (dA, dZ *tensor.Dense[T], err error) {
	return n.OutputDeltaWeighted(c, y, nil)
}

// OutputDeltaWeighted is OutputDelta for the weighted loss of
// CostWeighted: row i of dA_L (or of dZ_L from the logits) is wᵢ times
// the unweighted per-sample gradient, with 1/Σⱼwⱼ in place of 1/m under
// the Mean reduction (loss.GradientWeighted). A nil w is OutputDelta,
// bit for bit. Errors are CostWeighted's.
func (n *Network[T]) OutputDeltaWeighted(c *Cache[T], y *tensor.Dense[T], w []float64) (dA, dZ *tensor.Dense[T], err error) {
	if err := n.checkY(c, y, w); err != nil {
		return nil, nil, err
	}
	var g LayerGradients[T]
	n.outputDelta(&g, c.Layers[len(c.Layers)-1], y, w)
	return g.DA, g.DZ, nil
}

// outputDelta is OutputDeltaWeighted into top, reusing top.DA and top.DZ,
// from the output layer's cache last.
func (n *Network[T]) outputDelta(top *LayerGradients[T], last LayerCache[T], y *tensor.Dense[T], w []float64) {
	m, k := last.A.Dims()
	top.DZ = tensor.Reuse(top.DZ, m, k)
	if n.fromLogits() {
		top.DA = nil
		loss.GradientLogitsWeighted(n.Loss, top.DZ, last.A, y, w, n.Reduction) // dZ = w ⊙ (ŷ − y)
		return
	}
	top.DA = tensor.Reuse(top.DA, m, k)
	loss.GradientWeighted(n.Loss, top.DA, last.A, y, w, n.Reduction)                          // dA = ∂L/∂ŷ
	activation.Backward(n.Layers[len(n.Layers)-1].Activation, top.DZ, top.DA, last.Z, last.A) // dZ = dA ⊙ f′(Z)
}

// Backward propagates the loss gradient from the output layer down to the
// input, returning every layer's dA, dZ, dW, db and dA_prev: it starts
// from the output delta (OutputDelta), takes the output layer's dW, db
// and dA_prev from it (Layer.LinearBackward), and then runs each layer
// below with Layer.Backward from the dA_prev of the layer above:
//
//	dZ_L = OutputDelta;  dA_(l−1) = dZ_l·W_lᵀ;  dZ_(l−1) = dA_(l−1) ⊙ f′(Z_(l−1))
//
// It returns new matrices, or an error wrapping ErrShape if y is not the
// shape of the output. It does not modify the network. Training runs
// BackwardInto, which gives the same values, bit for bit.
func (n *Network[T]) Backward(c *Cache[T], y *tensor.Dense[T]) (*Gradients[T], error) {
	return n.BackwardWeighted(c, y, nil)
}

// BackwardWeighted is Backward for the weighted loss of CostWeighted,
// starting from OutputDeltaWeighted. A nil w is Backward, bit for bit.
// Errors are CostWeighted's.
func (n *Network[T]) BackwardWeighted(c *Cache[T], y *tensor.Dense[T], w []float64) (*Gradients[T], error) {
	dA, dZ, err := n.OutputDeltaWeighted(c, y, w)
	if err != nil {
		return nil, err
	}
	L := len(n.Layers)
	g := &Gradients[T]{Layers: make([]LayerGradients[T], L)}
	g.Layers[L-1] = n.Layers[L-1].LinearBackward(c.Layers[L-1], dZ) // dW, db, dA_prev of the output layer
	g.Layers[L-1].DA = dA
	for l := L - 2; l >= 0; l-- {
		g.Layers[l] = n.Layers[l].Backward(c.Layers[l], g.Layers[l+1].DAPrev) // dZ, dW, db, dA_prev
	}
	return g, nil
}

// Update applies one step of plain gradient descent to every layer:
// W = W − lr·dW, b = b − lr·db. It returns an error wrapping ErrConfig,
// and changes nothing, if lr is negative, NaN or infinite, and one
// wrapping ErrShape if g does not hold one gradient per layer.
func (n *Network[T]) Update(g *Gradients[T], lr float64) error {
	if !(lr >= 0 && lr <= math.MaxFloat64) {
		return fmt.Errorf("%w: Update: learning rate %v, want a finite number ≥ 0", ErrConfig, lr)
	}
	if g == nil || len(g.Layers) != len(n.Layers) {
		return fmt.Errorf("%w: Update: gradients for %d layers, the network has %d", ErrShape, gradLayers(g), len(n.Layers))
	}
	for i, l := range n.Layers {
		l.Update(g.Layers[i], lr)
	}
	return nil
}

func gradLayers[T tensor.Float](g *Gradients[T]) int {
	if g == nil {
		return 0
	}
	return len(g.Layers)
}
