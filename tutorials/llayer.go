package tutorials

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// This file ports deeplearning.ai's "Building your Deep Neural Network:
// Step by Step" with its L_layer_model. Unlike the rest of nerve it keeps
// the course's layout, samples as COLUMNS: X is features×m, W[l] is
// n[l]×n[l−1], b[l] is n[l]×1 and Z = W·A_prev + b. Each function has the
// course's name in Go form.

//go:embed data/planar.csv
var planarCSV []byte

// Planar returns the embedded "planar flower" dataset (400 points in 2-D,
// two classes; see data/README.md) in the samples-as-columns layout:
// X is 2×400 and Y is 1×400.
func Planar() (X, Y *tensor.Dense[float64], err error) {
	recs, err := csv.NewReader(bytes.NewReader(planarCSV)).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("planar.csv: %w", err)
	}
	recs = recs[1:] // header x1,x2,label
	m := len(recs)
	X, Y = tensor.Zeros[float64](2, m), tensor.Zeros[float64](1, m)
	for i, r := range recs {
		for j := 0; j < 3; j++ {
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				return nil, nil, fmt.Errorf("planar.csv: line %d, column %d: %w", i+2, j+1, err)
			}
			if j < 2 {
				X.Set(j, i, v)
			} else {
				Y.Set(0, i, v)
			}
		}
	}
	return X, Y, nil
}

// Params holds W1, b1 … WL, bL; W[0] is the course's W1.
type Params struct {
	W []*tensor.Dense[float64] // W[l−1] is n[l]×n[l−1]
	B []*tensor.Dense[float64] // B[l−1] is n[l]×1
}

// InitializeParametersDeep draws W[l] = randn(n[l], n[l−1]) / √n[l−1] in
// layer order, with zero biases, as the course's application notebook
// does after np.random.seed.
func InitializeParametersDeep(layerDims []int, src *rng.Source) Params {
	var p Params
	for l := 1; l < len(layerDims); l++ {
		w := tensor.Zeros[float64](layerDims[l], layerDims[l-1])
		s := math.Sqrt(float64(layerDims[l-1]))
		for i := range w.Data() {
			w.Data()[i] = src.NormFloat64() / s
		}
		p.W = append(p.W, w)
		p.B = append(p.B, tensor.Zeros[float64](layerDims[l], 1))
	}
	return p
}

// LinearCache is linear_forward's cache: (A_prev, W, b).
type LinearCache struct{ APrev, W, B *tensor.Dense[float64] }

// LayerCache is linear_activation_forward's cache: the linear cache and Z.
type LayerCache struct {
	Linear LinearCache
	Z      *tensor.Dense[float64]
}

// LinearForward computes Z = W·A_prev + b.
func LinearForward(aPrev, W, b *tensor.Dense[float64]) (*tensor.Dense[float64], LinearCache) {
	Z := tensor.Zeros[float64](W.Rows(), aPrev.Cols())
	tensor.MatMul(Z, W, tensor.NoTrans, aPrev, tensor.NoTrans)
	Z.AddColVector(Z, b)
	return Z, LinearCache{APrev: aPrev, W: W, B: b}
}

// LinearActivationForward computes A = g(W·A_prev + b) for g ReLU or
// sigmoid.
func LinearActivationForward(aPrev, W, b *tensor.Dense[float64], g activation.Kind) (*tensor.Dense[float64], LayerCache) {
	Z, lc := LinearForward(aPrev, W, b)
	A := tensor.Zeros[float64](Z.Dims())
	activation.Forward(g, A, Z)
	return A, LayerCache{Linear: lc, Z: Z}
}

// LModelForward runs [LINEAR→hidden]×(L−1) → LINEAR→SIGMOID and returns
// AL with every layer's cache.
func LModelForward(X *tensor.Dense[float64], p Params, hidden activation.Kind) (*tensor.Dense[float64], []LayerCache) {
	var caches []LayerCache
	A := X
	L := len(p.W)
	for l := 0; l < L-1; l++ {
		var c LayerCache
		A, c = LinearActivationForward(A, p.W[l], p.B[l], hidden)
		caches = append(caches, c)
	}
	AL, c := LinearActivationForward(A, p.W[L-1], p.B[L-1], activation.Sigmoid)
	return AL, append(caches, c)
}

// ComputeCost is the cross-entropy cost
// −(1/m)·Σ(Y·log(AL) + (1−Y)·log(1−AL)).
func ComputeCost(AL, Y *tensor.Dense[float64]) float64 {
	m := float64(Y.Cols())
	var s float64
	for i, y := range Y.Data() {
		a := AL.Data()[i]
		s += y*math.Log(a) + (1-y)*math.Log(1-a)
	}
	return (-1 / m) * s
}

// LinearBackward computes, from dZ and the linear cache,
//
//	dW = (1/m)·dZ·A_prevᵀ,  db = (1/m)·Σ dZ (over samples),  dA_prev = Wᵀ·dZ.
func LinearBackward(dZ *tensor.Dense[float64], c LinearCache) (dAPrev, dW, db *tensor.Dense[float64]) {
	m := float64(c.APrev.Cols())
	dW = tensor.Zeros[float64](c.W.Dims())
	tensor.MatMul(dW, dZ, tensor.NoTrans, c.APrev, tensor.Trans)
	dW.Scale(1/m, dW)
	db = tensor.Zeros[float64](c.B.Dims())
	db.SumCols(dZ)
	db.Scale(1/m, db)
	dAPrev = tensor.Zeros[float64](c.APrev.Dims())
	tensor.MatMul(dAPrev, c.W, tensor.Trans, dZ, tensor.NoTrans)
	return dAPrev, dW, db
}

// LinearActivationBackward turns dA into dZ through the activation's
// backward step (sigmoid_backward: dZ = dA·s·(1−s); relu_backward:
// dZ = dA where Z > 0, else 0), then calls LinearBackward.
func LinearActivationBackward(dA *tensor.Dense[float64], c LayerCache, g activation.Kind) (dAPrev, dW, db *tensor.Dense[float64]) {
	dZ := tensor.Zeros[float64](dA.Dims())
	switch g {
	case activation.Sigmoid:
		for i, d := range dA.Data() {
			s := 1 / (1 + math.Exp(-c.Z.Data()[i]))
			dZ.Data()[i] = d * s * (1 - s)
		}
	default:
		// relu_backward reads only Z, so Z also stands in for A here.
		activation.Backward(g, dZ, dA, c.Z, c.Z)
	}
	return LinearBackward(dZ, c.Linear)
}

// Grads holds dW1, db1 … dWL, dbL of one backward pass.
type Grads struct {
	DW, DB []*tensor.Dense[float64]
}

// LModelBackward starts from dAL = −(Y/AL − (1−Y)/(1−AL)) and walks the
// caches from the output layer down.
func LModelBackward(AL, Y *tensor.Dense[float64], caches []LayerCache, hidden activation.Kind) Grads {
	L := len(caches)
	g := Grads{DW: make([]*tensor.Dense[float64], L), DB: make([]*tensor.Dense[float64], L)}
	dA := tensor.Zeros[float64](AL.Dims())
	for i, y := range Y.Data() {
		a := AL.Data()[i]
		dA.Data()[i] = -(y/a - (1-y)/(1-a))
	}
	act := activation.Sigmoid
	for l := L - 1; l >= 0; l-- {
		dA, g.DW[l], g.DB[l] = LinearActivationBackward(dA, caches[l], act)
		act = hidden
	}
	return g
}

// UpdateParameters applies W = W − lr·dW and b = b − lr·db to every layer.
func UpdateParameters(p Params, g Grads, lr float64) {
	for l := range p.W {
		p.W[l].AddScaled(p.W[l], -lr, g.DW[l])
		p.B[l].AddScaled(p.B[l], -lr, g.DB[l])
	}
}

// LLayerResult is what LLayerModel returns.
type LLayerResult struct {
	Params   Params
	Costs    []float64 // cost every 100 iterations
	CostsAt  []int
	Accuracy float64 // on the training set, after training
}

// LLayerDefaults are the defaults of the l-layer tutorial.
var LLayerDefaults = struct {
	Layers []int
	LR     float64
}{Layers: []int{2, 8, 4, 1}, LR: 0.05}

// LLayerModel is L_layer_model (stopping early with ctx.Err() when ctx
// is cancelled): np.random.seed(seed), initialise, then
// iterations of forward, cost, backward and update on (X, Y), recording
// the cost every 100 iterations; finally the training accuracy of
// AL > 0.5.
func LLayerModel(ctx context.Context, X, Y *tensor.Dense[float64], layerDims []int, lr float64, iterations int, hidden activation.Kind, seed uint32) (LLayerResult, error) {
	if len(layerDims) < 2 || layerDims[0] != X.Rows() || layerDims[len(layerDims)-1] != 1 {
		return LLayerResult{}, fmt.Errorf("l-layer: layers %v: want at least 2 sizes, the first %d (the features) and the last 1", layerDims, X.Rows())
	}
	for i, d := range layerDims {
		if d <= 0 {
			return LLayerResult{}, fmt.Errorf("l-layer: layer %d has %d units, want > 0", i, d)
		}
	}
	if hidden != activation.ReLU && hidden != activation.Sigmoid {
		return LLayerResult{}, fmt.Errorf("l-layer: hidden activation %s: want relu or sigmoid", hidden)
	}
	r := LLayerResult{Params: InitializeParametersDeep(layerDims, rng.New(seed))}
	for i := range iterations {
		if err := canceled(ctx, i); err != nil {
			return r, err
		}
		AL, caches := LModelForward(X, r.Params, hidden)
		cost := ComputeCost(AL, Y)
		if math.IsNaN(cost) || math.IsInf(cost, 0) {
			return r, fmt.Errorf("l-layer: cost is %v at iteration %d: the learning rate %g is too high", cost, i, lr)
		}
		if i%100 == 0 {
			r.Costs = append(r.Costs, cost)
			r.CostsAt = append(r.CostsAt, i)
		}
		grads := LModelBackward(AL, Y, caches, hidden)
		UpdateParameters(r.Params, grads, lr)
	}
	AL, _ := LModelForward(X, r.Params, hidden)
	correct := 0
	for i, a := range AL.Data() {
		if (a > 0.5) == (Y.Data()[i] == 1) {
			correct++
		}
	}
	r.Accuracy = float64(correct) / float64(Y.Cols())
	return r, nil
}

func runLLayer(ctx context.Context, w io.Writer, o Options) error {
	X, Y, err := Planar()
	if err != nil {
		return err
	}
	layers, lr, hidden := o.Layers, o.LearningRate, o.Hidden
	if layers == nil {
		layers = LLayerDefaults.Layers
	}
	if lr == 0 {
		lr = LLayerDefaults.LR
	}
	if hidden == activation.Identity {
		hidden = activation.ReLU
	}
	r, err := LLayerModel(ctx, X, Y, layers, lr, o.Iterations, hidden, o.Seed)
	if err != nil {
		return err
	}
	for i, c := range r.Costs {
		fmt.Fprintf(w, "Cost after iteration %d: %.12g\n", r.CostsAt[i], c)
	}
	_, err = fmt.Fprintf(w, "Accuracy: %.12g\n", r.Accuracy)
	return err
}
