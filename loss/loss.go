// Package loss holds the cost functions that compare a network's output
// ŷ with the targets y: their value and their gradient ∂L/∂ŷ, plus the
// fused forms on the logits Z for the two pairs that are both simpler and
// numerically safer that way (sigmoid + binary cross-entropy, softmax +
// categorical cross-entropy), where ∂L/∂Z = ŷ − y.
//
// Every loss is a sum over samples of a per-sample loss ℓᵢ. The
// Reduction says whether the batch loss is that sum (as the numpy
// tutorials compute it) or its mean over the m samples (as PyTorch,
// Keras and scikit-learn do); the gradients follow the same convention.
package loss

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unsafe"

	"github.com/nerve-ml/nerve/tensor"
)

// Kind names a loss function. For a sample with k outputs:
//
//	SSE                 ℓ = Σⱼ (yⱼ − ŷⱼ)²              ∂ℓ/∂ŷ = 2(ŷ − y)
//	HalfSSE             ℓ = ½ Σⱼ (yⱼ − ŷⱼ)²            ∂ℓ/∂ŷ = ŷ − y
//	MSE                 ℓ = (1/k) Σⱼ (yⱼ − ŷⱼ)²        ∂ℓ/∂ŷ = 2(ŷ − y)/k
//	BinaryCrossEntropy  ℓ = −(1/k) Σⱼ yⱼ log ŷⱼ + (1−yⱼ) log(1−ŷⱼ)
//	CrossEntropy        ℓ = −Σⱼ yⱼ log ŷⱼ  (ŷ a softmax, y one-hot)
//
// With these definitions the Mean reduction equals PyTorch's MSELoss,
// BCELoss and CrossEntropyLoss with their default reduction='mean'.
type Kind int

// The losses. The zero value is SSE.
const (
	SSE Kind = iota
	HalfSSE
	MSE
	BinaryCrossEntropy
	CrossEntropy
)

// Reduction says how per-sample losses combine into the batch loss.
type Reduction int

const (
	// Mean averages over the samples of the batch (the zero value, as in
	// PyTorch, Keras and scikit-learn).
	Mean Reduction = iota
	// Sum adds the samples up, as the numpy tutorials do.
	Sum
)

// String returns "mean" or "sum".
func (r Reduction) String() string {
	if r == Sum {
		return "sum"
	}
	return "mean"
}

// ErrUnknown is wrapped by Parse when a name is not a loss.
var ErrUnknown = errors.New("unknown loss")

var names = [...]string{
	SSE:                "sse",
	HalfSSE:            "half-sse",
	MSE:                "mse",
	BinaryCrossEntropy: "binary-cross-entropy",
	CrossEntropy:       "cross-entropy",
}

// Kinds lists every loss in declaration order.
func Kinds() []Kind { return []Kind{SSE, HalfSSE, MSE, BinaryCrossEntropy, CrossEntropy} }

// String returns the loss's name as Parse accepts it.
func (k Kind) String() string {
	if !k.Valid() {
		return fmt.Sprintf("loss(%d)", int(k))
	}
	return names[k]
}

// Valid reports whether k is one of the declared kinds.
func (k Kind) Valid() bool { return k >= 0 && int(k) < len(names) }

// Parse returns the loss named s (case-insensitive; "bce" and
// "categorical-cross-entropy"/"ce" are accepted too).
func Parse(s string) (Kind, error) {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
	switch n {
	case "bce", "binary-crossentropy":
		return BinaryCrossEntropy, nil
	case "ce", "categorical-cross-entropy", "categorical-crossentropy", "crossentropy":
		return CrossEntropy, nil
	}
	for k, name := range names {
		if n == name {
			return Kind(k), nil
		}
	}
	return 0, fmt.Errorf("%w %q (want one of %s)", ErrUnknown, s, strings.Join(names[:], ", "))
}

// clampProb keeps a probability away from 0 and 1 so that log never sees
// 0: by 1e-7 for float32 values and 1e-15 for float64.
func clampProb[T tensor.Float](p T) float64 {
	eps := 1e-15
	if unsafe.Sizeof(p) == 4 { // float32
		eps = 1e-7
	}
	return math.Min(math.Max(float64(p), eps), 1-eps)
}

// Value returns the batch loss of outputs yhat against targets y, both
// samples×outputs, accumulated in float64. For the cross-entropies yhat
// holds probabilities; they are clamped away from 0 and 1, so Value never
// returns NaN or Inf for finite inputs. It panics if the shapes differ.
func Value[T tensor.Float](k Kind, yhat, y *tensor.Dense[T], r Reduction) float64 {
	return ValueWeighted(k, yhat, y, nil, r)
}

// ValueWeighted is Value with a weight wᵢ for each sample (row) i: the
// batch loss is
//
//	Mean: L = Σᵢ wᵢℓᵢ / Σᵢ wᵢ  (PyTorch's weighted mean; 0 if every wᵢ is 0)
//	Sum:  L = Σᵢ wᵢℓᵢ           (scikit-learn's weighted sum)
//
// so that a weight of 2 counts a sample twice, under either reduction,
// as if its row were repeated. A nil w weights every sample 1 and gives
// Value's result bit for bit. The weights must be finite and ≥ 0
// (CheckWeights); ValueWeighted panics if len(w) is not the number of
// samples.
func ValueWeighted[T tensor.Float](k Kind, yhat, y *tensor.Dense[T], w []float64, r Reduction) float64 {
	same("Value", yhat, y)
	m, cols := y.Dims()
	sw := weightSum("Value", w, m)
	p, t := yhat.Data(), y.Data()
	var s float64
	switch k {
	case SSE, HalfSSE, MSE:
		for i := range m {
			wi := weight(w, i)
			for j := i * cols; j < (i+1)*cols; j++ {
				d := float64(t[j]) - float64(p[j])
				s += wi * (d * d)
			}
		}
		switch k {
		case HalfSSE:
			s /= 2
		case MSE:
			s /= float64(cols)
		}
	case BinaryCrossEntropy:
		for i := range m {
			wi := weight(w, i)
			for j := i * cols; j < (i+1)*cols; j++ {
				q := clampProb(p[j])
				yv := float64(t[j])
				s -= wi * (yv*math.Log(q) + (1-yv)*math.Log(1-q))
			}
		}
		s /= float64(cols)
	case CrossEntropy:
		for i := range m {
			wi := weight(w, i)
			for j := i * cols; j < (i+1)*cols; j++ {
				if t[j] != 0 {
					s -= wi * float64(t[j]) * math.Log(clampProb(p[j]))
				}
			}
		}
	default:
		panic(fmt.Sprintf("loss: Value: invalid kind %d", int(k)))
	}
	return reduce(s, sw, r)
}

// ErrWeight is wrapped by CheckWeights's errors: a sample weight that is
// negative, NaN or infinite, or a number of weights that is not the
// number of samples.
var ErrWeight = errors.New("invalid sample weight")

// CheckWeights returns an error wrapping ErrWeight, naming the sample
// (counted from 1), unless w is nil or holds m weights that are finite
// and ≥ 0.
func CheckWeights(w []float64, m int) error {
	if w == nil {
		return nil
	}
	if len(w) != m {
		return fmt.Errorf("%w: %d weights for %d samples", ErrWeight, len(w), m)
	}
	for i, v := range w {
		if !(v >= 0 && v <= math.MaxFloat64) {
			return fmt.Errorf("%w: sample %d has weight %v, want a finite number ≥ 0", ErrWeight, i+1, v)
		}
	}
	return nil
}

// weightSum returns Σᵢ wᵢ, or m for a nil w, and panics if w does not
// hold m weights.
func weightSum(op string, w []float64, m int) float64 {
	if w == nil {
		return float64(m)
	}
	if len(w) != m {
		panic(fmt.Sprintf("loss: %s: %d weights for %d samples", op, len(w), m))
	}
	var s float64
	for _, v := range w {
		s += v
	}
	return s
}

// weight returns wᵢ, or 1 for a nil w. Multiplying by it is exact when
// it is 1, which keeps the unweighted results bit for bit.
func weight(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

// reduce divides the weighted sum s by the total weight sw under the
// Mean reduction (if sw > 0; else every weight is 0, and so is s).
func reduce(s, sw float64, r Reduction) float64 {
	if r == Mean && sw > 0 {
		return s / sw
	}
	return s
}

// scale returns the factor the reduction puts on every gradient: 1/Σᵢwᵢ
// under Mean, 1 under Sum (and when every weight is 0).
func scale(sw float64, r Reduction) float64 {
	if r == Mean && sw > 0 {
		return 1 / sw
	}
	return 1
}

// Gradient sets dyhat = ∂L/∂ŷ for the batch loss Value computes. For SSE
// and Sum reduction that is 2(ŷ − y), exactly the negation of the
// tutorials' 2(y − ŷ).
func Gradient[T tensor.Float](k Kind, dyhat, yhat, y *tensor.Dense[T], r Reduction) {
	GradientWeighted(k, dyhat, yhat, y, nil, r)
}

// GradientWeighted sets dyhat = ∂L/∂ŷ for the weighted batch loss
// ValueWeighted computes: row i of the gradient is wᵢ·c times the
// per-sample gradient ∂ℓᵢ/∂ŷᵢ, with c = 1/Σⱼwⱼ under Mean and 1 under
// Sum. A nil w gives Gradient's result bit for bit.
func GradientWeighted[T tensor.Float](k Kind, dyhat, yhat, y *tensor.Dense[T], w []float64, r Reduction) {
	same("Gradient", yhat, y)
	same("Gradient", dyhat, y)
	if !k.Valid() {
		panic(fmt.Sprintf("loss: Gradient: invalid kind %d", int(k)))
	}
	m, cols := y.Dims()
	c := scale(weightSum("Gradient", w, m), r)
	for i := range m {
		ci := weight(w, i) * c
		lo, hi := i*cols, (i+1)*cols
		g, p, t := dyhat.Data()[lo:hi], yhat.Data()[lo:hi], y.Data()[lo:hi]
		switch k {
		case SSE:
			c2 := T(2 * ci)
			for j, v := range p {
				g[j] = c2 * (v - t[j])
			}
		case HalfSSE:
			scaledDiff(g, p, t, ci)
		case MSE:
			c2 := T(2 * ci / float64(cols))
			for j, v := range p {
				g[j] = c2 * (v - t[j])
			}
		case BinaryCrossEntropy:
			ck := ci / float64(cols)
			for j, v := range p {
				q := clampProb(v)
				yv := float64(t[j])
				g[j] = T(-ck * (yv/q - (1-yv)/(1-q)))
			}
		case CrossEntropy:
			for j, v := range p {
				g[j] = T(-ci * float64(t[j]) / clampProb(v))
			}
		}
	}
}

// LogitActivation returns the name of the output activation whose logits
// k takes directly in its fused form (ValueLogits, GradientLogits):
// "sigmoid" for BinaryCrossEntropy, "softmax" for CrossEntropy, and ""
// for a loss with no fused form, which fits any output activation.
func LogitActivation(k Kind) string {
	switch k {
	case BinaryCrossEntropy:
		return "sigmoid"
	case CrossEntropy:
		return "softmax"
	}
	return ""
}

// ValueLogits returns the batch loss computed from the logits z rather
// than the probabilities: for BinaryCrossEntropy with ŷ = sigmoid(z),
// ℓ = (1/k) Σⱼ max(zⱼ,0) − zⱼyⱼ + log(1+e^−|zⱼ|); for CrossEntropy with
// ŷ = softmax(z), ℓ = −Σⱼ yⱼ (zⱼ − logΣₖ e^zₖ), with the row maximum
// subtracted first. Neither form overflows or takes log(0). It panics for
// the other kinds.
func ValueLogits[T tensor.Float](k Kind, z, y *tensor.Dense[T], r Reduction) float64 {
	return ValueLogitsWeighted(k, z, y, nil, r)
}

// ValueLogitsWeighted is ValueLogits with sample weights, reduced as
// ValueWeighted reduces them; a nil w gives ValueLogits's result bit for
// bit.
func ValueLogitsWeighted[T tensor.Float](k Kind, z, y *tensor.Dense[T], w []float64, r Reduction) float64 {
	same("ValueLogits", z, y)
	if LogitActivation(k) == "" {
		panic(fmt.Sprintf("loss: ValueLogits: %s has no logit form", k))
	}
	m, cols := y.Dims()
	sw := weightSum("ValueLogits", w, m)
	var s float64
	for i := range m {
		wi := weight(w, i)
		zr, tr := z.Data()[i*cols:(i+1)*cols], y.Data()[i*cols:(i+1)*cols]
		if k == BinaryCrossEntropy {
			for j, v := range zr {
				x := float64(v)
				s += wi * (math.Max(x, 0) - x*float64(tr[j]) + math.Log1p(math.Exp(-math.Abs(x))))
			}
			continue
		}
		s = crossEntropyRow(s, wi, zr, tr, logSumExp(zr)) // CrossEntropy
	}
	if k == BinaryCrossEntropy {
		s /= float64(cols)
	}
	return reduce(s, sw, r)
}

// ValueLogitsLSE is ValueLogitsWeighted(CrossEntropy, z, y, w, r) with
// the log-sum-exp of every row of the logits given, as the softmax that
// made ŷ from z can supply it:
//
//	lse[i] = mᵢ + log Σⱼ e^(z[i,j]−mᵢ),  mᵢ = maxⱼ z[i,j]   (float64)
//	ℓᵢ = −Σⱼ y[i,j]·(z[i,j] − lse[i])
//
// so that no exponential is left to compute. When lse was computed in
// that order (the maximum, then the sum from j = 0, then one log), as
// ValueLogits computes it and nn.Network.ForwardCostInto takes it from
// its softmax, the result is ValueLogitsWeighted's bit for bit. It panics if lse holds
// fewer values than z has rows, or if ValueLogitsWeighted would.
func ValueLogitsLSE[T tensor.Float](z, y *tensor.Dense[T], lse, w []float64, r Reduction) float64 {
	same("ValueLogitsLSE", z, y)
	m, cols := y.Dims()
	if len(lse) < m {
		panic(fmt.Sprintf("loss: ValueLogitsLSE: %d log-sum-exps for %d samples", len(lse), m))
	}
	sw := weightSum("ValueLogitsLSE", w, m)
	var s float64
	for i := range m {
		zr, tr := z.Data()[i*cols:(i+1)*cols], y.Data()[i*cols:(i+1)*cols]
		s = crossEntropyRow(s, weight(w, i), zr, tr, lse[i])
	}
	return reduce(s, sw, r)
}

// logSumExp returns log Σⱼ e^zⱼ as m + log Σⱼ e^(zⱼ−m), m = maxⱼ zⱼ, in
// float64, summing from j = 0.
func logSumExp[T tensor.Float](z []T) float64 {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, float64(v))
	}
	var se float64
	for _, v := range z {
		se += math.Exp(float64(v) - mx)
	}
	return mx + math.Log(se)
}

// crossEntropyRow returns s − wᵢ·Σⱼ yⱼ·(zⱼ − lse), one sample's
// weighted cross-entropy from its logits z and their log-sum-exp taken
// off the running sum s term by term (terms with yⱼ = 0 skipped).
func crossEntropyRow[T tensor.Float](s, wi float64, z, y []T, lse float64) float64 {
	y = y[:len(z)]
	for j, v := range z {
		if y[j] != 0 {
			s -= wi * float64(y[j]) * (float64(v) - lse)
		}
	}
	return s
}

// GradientLogits sets dz = ∂L/∂Z for the fused pairs, given the output
// activations a = sigmoid(z) or softmax(z): dz = c·(a − y), where c is
// 1/k for BinaryCrossEntropy, 1 for CrossEntropy, and a further 1/m under
// the Mean reduction. It panics for the other kinds.
func GradientLogits[T tensor.Float](k Kind, dz, a, y *tensor.Dense[T], r Reduction) {
	GradientLogitsWeighted(k, dz, a, y, nil, r)
}

// GradientLogitsWeighted is GradientLogits for the weighted loss of
// ValueLogitsWeighted: row i of dz is wᵢ·c·(aᵢ − yᵢ), with c as in
// GradientLogits but 1/Σⱼwⱼ in place of 1/m. A nil w gives
// GradientLogits's result bit for bit.
func GradientLogitsWeighted[T tensor.Float](k Kind, dz, a, y *tensor.Dense[T], w []float64, r Reduction) {
	same("GradientLogits", a, y)
	same("GradientLogits", dz, y)
	m, cols := y.Dims()
	c := scale(weightSum("GradientLogits", w, m), r)
	switch k {
	case BinaryCrossEntropy:
		c /= float64(cols)
	case CrossEntropy:
	default:
		panic(fmt.Sprintf("loss: GradientLogits: %s has no logit form", k))
	}
	if w == nil {
		scaledDiff(dz.Data(), a.Data(), y.Data(), c)
		return
	}
	for i := range m {
		lo, hi := i*cols, (i+1)*cols
		scaledDiff(dz.Data()[lo:hi], a.Data()[lo:hi], y.Data()[lo:hi], w[i]*c)
	}
}

// scaledDiff sets g = c·(p − t). When c is 1 it computes p − t alone, so
// the result is exactly the tutorials' −(y − ŷ).
func scaledDiff[T tensor.Float](g, p, t []T, c float64) {
	if c == 1 {
		for i, v := range p {
			g[i] = v - t[i]
		}
		return
	}
	for i, v := range p {
		g[i] = T(c) * (v - t[i])
	}
}

func same[T tensor.Float](op string, a, b *tensor.Dense[T]) {
	if a.Rows() != b.Rows() || a.Cols() != b.Cols() {
		panic(fmt.Sprintf("loss: %s: shapes %s and %s differ", op, a.Shape(), b.Shape()))
	}
}
