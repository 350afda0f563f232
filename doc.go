// Package nerve is a small multilayer-perceptron library in pure Go, with a
// command line and a set of tutorials, written to be read as much as to be
// used.
//
// This package is the short road: a Classifier or Regressor that
// standardises the features, maps class labels to one-hot targets and
// back, trains with Adam in mini-batches, and saves everything it needs in
// one model file.
//
//	clf := nerve.NewClassifier[string](nerve.Options{Hidden: []int{16}, Seed: 1})
//	hist, err := clf.Fit(ctx, X, labels) // X: samples×features
//	pred, err := clf.Predict(Xnew)       // labels
//	err = clf.Save("iris.nerve")
//
// The long road is the packages below, in layers: every step the
// tutorials name (forward, cost, backward, update) is a public function
// there. A package imports nerve packages only from strictly lower
// layers, which layering_test.go checks:
//
//	layer 0  internal/kernel  matrix-multiply inner loops and their reference twin
//	         rng              numpy-compatible MT19937 random numbers
//	         internal/atomicfile  files written whole or not at all
//	layer 1  tensor           dense row-major float32/float64 matrices
//	layer 2  activation       sigmoid, tanh, ReLU, softmax, ... forward and backward
//	         loss             SSE, MSE, cross-entropies: value and gradient
//	         optim            SGD, momentum, RMSProp, AdaGrad, Adam, AdamW; schedules
//	         data             datasets, splits, scaling, class labels, loaders
//	         metrics          accuracy, precision/recall/F1, confusion, log-loss, R²
//	layer 3  nn               dense layers, networks, Forward, Cost, Backward, Update, Params
//	layer 4  train            Fit: epochs, batches, validation, early stopping
//	         gradcheck        finite-difference checks of Backward
//	layer 5  model            model files: a network with its metadata; checkpoints
//	         tutorials        the five numpy programs ported to nerve
//	         trace            one training iteration, step by step, as text, Markdown or HTML
//	layer 6  nerve            this package: Classifier and Regressor; resuming from checkpoints
//	         plot             loss curves, decision boundaries, network diagrams, heat-maps
//	         onnx             ONNX export and import: serve a model anywhere, run PyTorch MLPs
//	         serve            a model behind HTTP: KServe V2, /predict, micro-batching, metrics
//	         playground       TensorFlow Playground in the browser, trained by nerve
//	layer 7  cmd/nerve        the command line
//
// nerve grew out of five classic "neural network from scratch" numpy
// programs. Its random numbers come from a port of numpy's legacy
// Mersenne Twister, so a nerve network seeded like the numpy original
// starts from the same weights, and the tutorials reproduce the originals'
// printed numbers to the digit:
//
//	go run ./cmd/nerve demo --list
//
// Layer-0 packages import only the standard library (and
// golang.org/x/sys/cpu), and no package other than rng draws random
// numbers: math/rand is not imported anywhere.
package nerve
