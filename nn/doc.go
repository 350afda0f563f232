// Package nn is the multilayer perceptron: dense layers, a network of
// them, forward propagation that keeps per-layer caches, backpropagation
// that returns every per-layer gradient, and the plain gradient-descent
// update.
//
// The steps are public and named as the tutorials name them, so a learner
// can write a training loop by hand:
//
//	cache, err := net.Forward(X)        // Z = A_prev·W + b, A = f(Z), layer by layer
//	cost, err := net.Cost(cache, y)     // L(ŷ, y)
//	grads, err := net.Backward(cache, y) // dZ, dW, db, dA_prev, last layer first
//	net.Update(grads, 0.1)              // W −= lr·dW, b −= lr·db
//
// Forward and Backward are the plain path, written as the equations in
// layer.go and network.go: Layer.Forward (Z = A_prev·W + b, A = f(Z)),
// OutputDelta, Layer.Backward (dZ = dA ⊙ f′(Z)) and Layer.LinearBackward
// (dW, db, dA_prev), one named call per step, each returning new
// matrices, as a learner expects. A training loop that runs them
// thousands of times uses ForwardInto and BackwardInto (fused.go)
// instead, which refill one Cache and one Gradients in place, so that
// after the first batch a step allocates nothing, and do each layer's
// element-wise work inside its matrix products' jobs (ForwardDense,
// BackwardDense); package train does this, with ForwardCostInto, which
// takes a softmax + cross-entropy cost from the log-sum-exps the output
// layer's softmax computed. The two paths give the same numbers, bit for
// bit. Predict allocates only its result.
//
// Samples are rows: X is samples×features, W is inputs×outputs and b is
// 1×outputs. Whether gradients are summed over the batch (the tutorials)
// or averaged (PyTorch, scikit-learn) is the network's loss.Reduction.
//
// Model files, a network together with what it takes to use it on raw
// data, are package model's; Params lists the parameters in the order
// optimizers (package optim) and checkpoints keep them.
//
// A Network is safe for concurrent use by any number of goroutines that
// only call Forward, Cost, Backward or Predict (or ForwardInto and
// BackwardInto, each goroutine with its own Cache and Gradients); Update
// and any write to a layer's W or b must not run concurrently with them.
package nn
