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
	same("Value", yhat, y)
	m, cols := y.Dims()
	p, t := yhat.Data(), y.Data()
	var s float64
	switch k {
	case SSE, HalfSSE, MSE:
		for i, v := range p {
			d := float64(t[i]) - float64(v)
			s += d * d
		}
		switch k {
		case HalfSSE:
			s /= 2
		case MSE:
			s /= float64(cols)
		}
	case BinaryCrossEntropy:
		for i, v := range p {
			q := clampProb(v)
			yv := float64(t[i])
			s -= yv*math.Log(q) + (1-yv)*math.Log(1-q)
		}
		s /= float64(cols)
	case CrossEntropy:
		for i, v := range p {
			if t[i] != 0 {
				s -= float64(t[i]) * math.Log(clampProb(v))
			}
		}
	default:
		panic(fmt.Sprintf("loss: Value: invalid kind %d", int(k)))
	}
	return reduce(s, m, r)
}

func reduce(s float64, m int, r Reduction) float64 {
	if r == Mean && m > 0 {
		return s / float64(m)
	}
	return s
}

// scale returns the factor the Mean reduction puts on every gradient.
func scale(m int, r Reduction) float64 {
	if r == Mean && m > 0 {
		return 1 / float64(m)
	}
	return 1
}

// Gradient sets dyhat = ∂L/∂ŷ for the batch loss Value computes. For SSE
// and Sum reduction that is 2(ŷ − y), exactly the negation of the
// tutorials' 2(y − ŷ).
func Gradient[T tensor.Float](k Kind, dyhat, yhat, y *tensor.Dense[T], r Reduction) {
	same("Gradient", yhat, y)
	same("Gradient", dyhat, y)
	m, cols := y.Dims()
	g, p, t := dyhat.Data(), yhat.Data(), y.Data()
	c := scale(m, r)
	switch k {
	case SSE:
		c2 := T(2 * c)
		for i, v := range p {
			g[i] = c2 * (v - t[i])
		}
	case HalfSSE:
		scaledDiff(g, p, t, c)
	case MSE:
		c2 := T(2 * c / float64(cols))
		for i, v := range p {
			g[i] = c2 * (v - t[i])
		}
	case BinaryCrossEntropy:
		ck := c / float64(cols)
		for i, v := range p {
			q := clampProb(v)
			yv := float64(t[i])
			g[i] = T(-ck * (yv/q - (1-yv)/(1-q)))
		}
	case CrossEntropy:
		for i, v := range p {
			g[i] = T(-c * float64(t[i]) / clampProb(v))
		}
	default:
		panic(fmt.Sprintf("loss: Gradient: invalid kind %d", int(k)))
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
	same("ValueLogits", z, y)
	m, cols := y.Dims()
	zd, t := z.Data(), y.Data()
	var s float64
	switch k {
	case BinaryCrossEntropy:
		for i, v := range zd {
			x := float64(v)
			s += math.Max(x, 0) - x*float64(t[i]) + math.Log1p(math.Exp(-math.Abs(x)))
		}
		s /= float64(cols)
	case CrossEntropy:
		for row := 0; row < m; row++ {
			zr, tr := zd[row*cols:(row+1)*cols], t[row*cols:(row+1)*cols]
			mx := math.Inf(-1)
			for _, v := range zr {
				mx = math.Max(mx, float64(v))
			}
			var se float64
			for _, v := range zr {
				se += math.Exp(float64(v) - mx)
			}
			lse := mx + math.Log(se)
			for j, v := range zr {
				if tr[j] != 0 {
					s -= float64(tr[j]) * (float64(v) - lse)
				}
			}
		}
	default:
		panic(fmt.Sprintf("loss: ValueLogits: %s has no logit form", k))
	}
	return reduce(s, m, r)
}

// GradientLogits sets dz = ∂L/∂Z for the fused pairs, given the output
// activations a = sigmoid(z) or softmax(z): dz = c·(a − y), where c is
// 1/k for BinaryCrossEntropy, 1 for CrossEntropy, and a further 1/m under
// the Mean reduction. It panics for the other kinds.
func GradientLogits[T tensor.Float](k Kind, dz, a, y *tensor.Dense[T], r Reduction) {
	same("GradientLogits", a, y)
	same("GradientLogits", dz, y)
	m, cols := y.Dims()
	c := scale(m, r)
	switch k {
	case BinaryCrossEntropy:
		c /= float64(cols)
	case CrossEntropy:
	default:
		panic(fmt.Sprintf("loss: GradientLogits: %s has no logit form", k))
	}
	scaledDiff(dz.Data(), a.Data(), y.Data(), c)
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
