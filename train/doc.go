// Package train fits a network to data: the loop that the tutorials wrote
// by hand (forward, cost, backward, update), run over epochs and batches,
// with an optimizer from package optim, shuffling from a seed, validation,
// early stopping and callbacks.
//
// Fit is the entry point:
//
//	hist, err := train.Fit(ctx, net, X, Y, train.Config[float32]{
//		Epochs:    50,
//		BatchSize: 32,
//		Optimizer: adam,
//		ValidationFraction: 0.1,
//		EarlyStopping: train.EarlyStopping{Patience: 5, RestoreBest: true},
//	})
//
// One epoch shuffles the training samples with a permutation drawn from
// the seed, cuts them into batches of BatchSize (the last batch may be
// smaller), and for every batch runs
//
//	forward   Z = A_prev·W + b, A = f(Z), layer by layer
//	cost      L(ŷ, y)
//	backward  dZ, dW, db, dA_prev, layer by layer from the output down
//	update    the optimizer's step on every W and b
//
// BatchSize 0 is full-batch gradient descent, 1 is one sample at a time.
//
// Config.SampleWeights weighs each sample's loss: under the Mean
// reduction a batch's loss is Σᵢ wᵢℓᵢ / Σᵢ wᵢ (PyTorch's weighted mean), so
// an integer weight trains like that many copies of the sample. For a
// classifier, ValidationFraction holds out that share of every class
// (stratified, data.Stratify); for a regressor a random share.
//
// Fit's memory does not grow with the data beyond X and Y themselves: the
// held-out samples stay rows of X, picked by index; each batch is
// gathered from the epoch's shuffled order into buffers reused from
// batch to batch, by every kernel thread (a batch of unshuffled samples
// in consecutive rows is used in place, not copied); validation data is
// scored in blocks of EvalRows samples. After the first, a batch
// allocates nothing.
//
// Fit never prints. Progress reaches the caller through the OnEpoch and
// OnBatch callbacks; the History it returns holds every epoch's losses and
// accuracies. Training stops with an error, never silently, when the loss
// or a parameter stops being finite (a *DivergedError naming the epoch and
// batch), and returns the history so far with ctx.Err() when the context
// is cancelled.
//
// The same network, data, configuration and seed give bit-identical
// weights and history on every run.
package train
