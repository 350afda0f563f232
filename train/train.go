package train

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/internal/kernel"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// Defaults for Config fields left at zero; package nerve's Options use
// the same.
const (
	DefaultEpochs    = 200 // Config.Epochs 0
	DefaultBatchSize = 32  // Config.BatchSize 0; −1 means full batch
)

// ErrConfig is wrapped by errors about an invalid training configuration.
// It wraps nn.ErrConfig, so that errors.Is(err, nn.ErrConfig) holds for
// every configuration error of nn, train and the packages above them.
var ErrConfig error = &sentinel{"invalid training configuration", nn.ErrConfig}

// ErrData is wrapped by errors about training or validation data that
// cannot be trained on: shapes that do not fit the network, values that
// are not finite. It wraps data.ErrData, so that errors.Is(err,
// data.ErrData) holds for every error the data can cause, from loading to
// training.
var ErrData error = &sentinel{"invalid training data", data.ErrData}

// sentinel is an error value with its own text that is also its parent.
type sentinel struct {
	msg    string
	parent error
}

func (e *sentinel) Error() string { return e.msg }
func (e *sentinel) Unwrap() error { return e.parent }

// ErrStop may be returned by an OnEpoch or OnBatch callback to end training
// early without an error: Fit returns the history so far and a nil error.
var ErrStop = errors.New("stop training")

// Config describes a training run. Its zero value trains for
// DefaultEpochs epochs in mini-batches of DefaultBatchSize, with Adam
// (learning rate 0.001), shuffling with seed 0 and no validation.
type Config[T tensor.Float] struct {
	Epochs    int // passes over the training data; 0 means DefaultEpochs
	BatchSize int // samples per update; 0 means DefaultBatchSize, −1 all of them (full batch)

	// Optimizer updates the parameters after every batch; nil means Adam
	// with PyTorch's defaults (learning rate 0.001). Its state carries
	// over between calls to Fit with the same optimizer.
	Optimizer optim.Optimizer[T]
	// Schedule, if set, sets the optimizer's learning rate at the start
	// of every epoch to Schedule.LR(e), with e counted from 0.
	Schedule optim.Schedule

	Seed      uint32 // seeds the shuffling and the validation split
	NoShuffle bool   // keep the samples in their given order

	// ValX and ValY are the validation data, evaluated after every
	// epoch. If they are nil and ValidationFraction is in (0, 1), Fit
	// holds out that fraction of X and Y, chosen with a permutation drawn
	// from Seed, and trains on the rest. For a classifier (see Evaluate)
	// the hold-out is stratified (data.Stratify): each class, read from
	// Y's rows (the largest column of a softmax target, the columns above
	// 0.5 of a sigmoid one), gives round(fraction·its count) samples.
	ValX, ValY         *tensor.Dense[T]
	ValidationFraction float64

	// SampleWeights, if not nil, holds a weight ≥ 0 for every sample of
	// X: each batch's loss, and so its gradients, are then weighted as
	// nn.Network.CostWeighted describes (under the Mean reduction
	// Σᵢ wᵢℓᵢ / Σᵢ wᵢ over the batch, so that an integer weight counts
	// like that many copies of the sample), and so is the epoch's
	// training loss. The samples held out by ValidationFraction take
	// their weights with them into the validation loss. Accuracies are
	// not weighted. nil weights every sample 1; weights of 1 give the
	// unweighted run bit for bit.
	SampleWeights []float64
	// ValSampleWeights weights the samples of ValX in the validation
	// loss in the same way; nil means 1 each. It needs ValX.
	ValSampleWeights []float64

	EarlyStopping EarlyStopping

	// OnBatch is called after every batch's update, OnEpoch after every
	// epoch's validation. Returning ErrStop ends training cleanly; any other
	// error ends it and Fit returns that error (wrapped).
	OnBatch func(BatchEnd) error
	OnEpoch func(EpochEnd) error

	// Checkpoint, if set, is called at the end of every epoch (after
	// OnEpoch) with what Resume needs to continue the run later. Errors
	// are handled as for OnEpoch.
	Checkpoint func(Checkpoint[T]) error
	// Resume continues a run from a checkpoint: Fit takes the epochs in
	// Resume.History as done, rebuilds the early-stopping state from
	// them, replays their shuffles and runs the remaining epochs. Given
	// the network parameters and optimizer state saved at that
	// checkpoint, and the same data and configuration, it reaches the
	// same weights and history as an uninterrupted run.
	Resume *Checkpoint[T]
}

// Checkpoint is the state of a run at the end of an epoch, beyond the
// network's parameters and the optimizer's state.
//
// The History and Best that Config.Checkpoint receives are Fit's own and
// change after the callback returns: copy what you keep.
type Checkpoint[T tensor.Float] struct {
	History *History // the epochs so far; read-only
	// Best holds the parameters of the best epoch when
	// EarlyStopping.RestoreBest is on, else nil; read-only.
	Best *nn.Network[T]
}

// EarlyStopping stops training when the monitored loss (the validation
// loss when there is validation data, else the training loss) has not
// improved by more than MinDelta for Patience epochs in a row. Patience 0
// disables it.
type EarlyStopping struct {
	Patience int
	MinDelta float64
	// RestoreBest puts back the parameters of the epoch with the best
	// monitored loss when training ends, whether it stopped early or ran
	// all its epochs.
	RestoreBest bool
}

// EpochStats is one epoch's record in a History. Accuracy and ValAccuracy are
// set for classifiers (a softmax + cross-entropy or sigmoid + binary
// cross-entropy output) and NaN otherwise; ValLoss and ValAccuracy are NaN
// without validation data.
type EpochStats struct {
	Epoch       int     // 1-based
	LR          float64 // learning rate used in this epoch
	Loss        float64 // training loss, averaged over the epoch's batches as they ran
	Accuracy    float64 // training accuracy, over the epoch's batches as they ran
	ValLoss     float64
	ValAccuracy float64
}

// History is the record of a training run.
type History struct {
	Epochs []EpochStats
	// BestEpoch is the 1-based epoch with the lowest monitored loss, 0
	// before the first epoch ends.
	BestEpoch int
	// StoppedEarly is true when early stopping ended the run.
	StoppedEarly bool
	// Restored is true when the best epoch's parameters were put back.
	Restored bool
	// Stop says why training ended; "" while it runs.
	Stop StopReason
}

// StopReason says why Fit ended.
type StopReason string

// The reasons Fit ends.
const (
	StopEpochs        StopReason = "ran every epoch"                      // Config.Epochs done
	StopNoImprovement StopReason = "the monitored loss stopped improving" // early stopping
	StopCallback      StopReason = "a callback returned ErrStop"          // OnBatch, OnEpoch or Checkpoint
	StopCancelled     StopReason = "cancelled"                            // the context ended
	StopDiverged      StopReason = "diverged"                             // a *DivergedError
	StopError         StopReason = "error"                                // any other error
)

// Last returns the last epoch's record, or a zero EpochStats if there is none.
func (h *History) Last() EpochStats {
	if len(h.Epochs) == 0 {
		return EpochStats{}
	}
	return h.Epochs[len(h.Epochs)-1]
}

// BatchEnd is passed to Config.OnBatch.
type BatchEnd struct {
	Epoch, Epochs    int     // 1-based epoch and the total
	Batch, Batches   int     // 1-based batch within the epoch and the total
	Samples          int     // samples in this batch
	Loss             float64 // this batch's loss before the update
	LR               float64
	SamplesThisEpoch int // samples trained on so far in this epoch
}

// EpochEnd is passed to Config.OnEpoch. It embeds the epoch's
// EpochStats, so that e.Epoch is the 1-based epoch and e.Loss its loss:
//
//	cfg.OnEpoch = func(e train.EpochEnd) error {
//		if e.Epoch%10 == 0 {
//			fmt.Printf("epoch %d/%d: loss %.4f\n", e.Epoch, e.Epochs, e.Loss)
//		}
//		return nil
//	}
type EpochEnd struct {
	EpochStats
	Epochs   int  // total epochs configured
	Improved bool // the monitored loss improved on the best so far
}

// DivergedError reports that training diverged: it produced a loss or
// parameter that is not a finite number, or a batch loss more than
// DivergenceFactor times the first batch's (and above 1).
type DivergedError struct {
	Epoch, Batch int     // 1-based; Batch is 0 when found after the epoch
	What         string  // "loss", "validation loss" or the parameter, e.g. "W2"
	Value        float64 // the offending value (NaN, ±Inf, or the exploded loss)
	Start        float64 // the first batch's loss when Value is finite, else 0
	LR           float64
}

// DivergenceFactor is how many times the first batch's loss (or 1, if
// that is more) a batch loss may reach before Fit stops with a
// *DivergedError: a loss that grows so far has left any descent behind.
const DivergenceFactor = 1e4

func (e *DivergedError) Error() string {
	where := fmt.Sprintf("epoch %d, batch %d", e.Epoch, e.Batch)
	if e.Batch == 0 {
		where = fmt.Sprintf("the end of epoch %d", e.Epoch)
	}
	became := fmt.Sprintf("%s became %v", e.What, e.Value)
	if !math.IsNaN(e.Value) && !math.IsInf(e.Value, 0) {
		became = fmt.Sprintf("%s exploded to %.3g from %.3g", e.What, e.Value, e.Start)
	}
	return fmt.Sprintf("train: %s at %s (learning rate %g): the learning rate is probably too high, or the inputs are not scaled (standardise each feature to mean 0 and variance 1)", became, where, e.LR)
}

// Fit trains net on the samples X (samples×features) with targets Y
// (samples×outputs, one-hot rows for a softmax classifier) as cfg
// describes, updating net's parameters in place. It returns the history
// of the epochs that ran and:
//   - an error wrapping ErrConfig or ErrData (and no training) if cfg is
//     invalid or the data does not fit the network or is not finite;
//   - a *DivergedError if the loss or a parameter became NaN or ±Inf;
//     the parameters are then left as they were when that was found;
//   - ctx.Err() if ctx was cancelled; the history holds the epochs that
//     completed, and the parameters are those after the last batch;
//   - the error a callback returned, unless it was ErrStop.
//
// X and Y are not modified.
func Fit[T tensor.Float](ctx context.Context, net *nn.Network[T], X, Y *tensor.Dense[T], cfg Config[T]) (*History, error) {
	hist, err := fit(ctx, net, X, Y, cfg)
	var de *DivergedError
	switch {
	case err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()):
		hist.Stop = StopCancelled
	case errors.As(err, &de):
		hist.Stop = StopDiverged
	case err != nil:
		hist.Stop = StopError
	case hist.StoppedEarly:
		hist.Stop = StopNoImprovement
	case len(hist.Epochs) == max(cfg.Epochs, 0) || cfg.Epochs == 0 && len(hist.Epochs) == DefaultEpochs:
		hist.Stop = StopEpochs
	default:
		hist.Stop = StopCallback
	}
	return hist, err
}

// fit is Fit without the stop reason.
func fit[T tensor.Float](ctx context.Context, net *nn.Network[T], X, Y *tensor.Dense[T], cfg Config[T]) (*History, error) {
	hist := &History{}
	if err := net.Validate(); err != nil {
		return hist, err
	}
	epochs, err := cfg.check()
	if err != nil {
		return hist, err
	}
	if err := checkData(net, "X", "Y", X, Y); err != nil {
		return hist, err
	}
	if err := checkWeights("SampleWeights", cfg.SampleWeights, X.Rows()); err != nil {
		return hist, err
	}
	src := rng.New(cfg.Seed)
	data := samples[T]{X: X, Y: Y, W: cfg.SampleWeights}
	val := samples[T]{X: cfg.ValX, Y: cfg.ValY, W: cfg.ValSampleWeights}
	if val.X == nil && cfg.ValidationFraction > 0 {
		var held []bool
		if held, err = holdOut(net, Y, cfg.ValidationFraction, src); err != nil {
			return hist, err
		}
		data, val = split(data, held)
		if err := checkWeights("SampleWeights", data.W, data.len()); err != nil {
			return hist, fmt.Errorf("%w (of the samples left for training)", err)
		}
	}
	validate := val.X != nil
	if cfg.ValX != nil {
		if err := checkData(net, "ValX", "ValY", val.X, val.Y); err != nil {
			return hist, err
		}
		if err := checkWeights("ValSampleWeights", val.W, val.len()); err != nil {
			return hist, err
		}
	}
	opt := cfg.Optimizer
	if opt == nil {
		if opt, err = optim.NewAdam[T](optim.Adam{}); err != nil {
			return hist, err
		}
	}
	t := newTrainer(net, opt)
	n, W := data.len(), data.W
	totalW := weightSum(W, 0, n, nil)
	bs := cfg.BatchSize
	if bs == 0 {
		bs = DefaultBatchSize
	}
	if bs == -1 || bs > n {
		bs = n
	}
	batches := (n + bs - 1) / bs
	// order is the epoch's sequence of samples, shuffled in place: the
	// same permutations as src.Perm(n) every epoch, without a new slice.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	swap := func(i, j int) { order[i], order[j] = order[j], order[i] }
	shuffle := func() {
		for i := range order {
			order[i] = i
		}
		src.Shuffle(n, swap)
	}
	var best *nn.Network[T]
	bestLoss := math.Inf(1)
	wait := 0
	start := 1
	if r := cfg.Resume; r != nil && r.History != nil {
		if err := checkResume(r, net, cfg.EarlyStopping.RestoreBest); err != nil {
			return hist, err
		}
		hist = resumed(r.History)
		start = len(hist.Epochs) + 1
		if hist.BestEpoch > 0 {
			b := hist.Epochs[hist.BestEpoch-1]
			bestLoss = b.Loss
			if validate {
				bestLoss = b.ValLoss
			}
			wait = len(hist.Epochs) - hist.BestEpoch
		}
		if cfg.EarlyStopping.RestoreBest && r.Best != nil {
			best = r.Best.Clone()
		}
		if !cfg.NoShuffle {
			for range hist.Epochs { // replay the shuffles of the epochs done
				shuffle()
			}
		}
		if hist.StoppedEarly {
			restore(hist, best, net, cfg)
			return hist, nil
		}
	}
	startLoss := -1.0 // the first batch's loss, once known
	for e := start; e <= epochs; e++ {
		if cfg.Schedule != nil {
			if err := opt.SetLR(cfg.Schedule.LR(e - 1)); err != nil {
				return hist, fmt.Errorf("%w: Schedule: epoch %d: %w", ErrConfig, e, err)
			}
		}
		if !cfg.NoShuffle {
			shuffle()
		}
		rec := EpochStats{Epoch: e, LR: opt.LR(), ValLoss: math.NaN(), ValAccuracy: math.NaN(), Accuracy: math.NaN()}
		var lossSum, correct float64
		seen := 0
		for b := range batches {
			if err := ctx.Err(); err != nil {
				return hist, err
			}
			lo, hi := b*bs, min((b+1)*bs, n)
			bx, by, bw := t.view(data, order[lo:hi])
			if bx == nil {
				bx, by, bw = t.gather(data, order[lo:hi])
			}
			cost, hits, err := t.step(bx, by, bw)
			if err != nil {
				return hist, err
			}
			if math.IsNaN(cost) || math.IsInf(cost, 0) {
				return hist, &DivergedError{Epoch: e, Batch: b + 1, What: "loss", Value: cost, LR: opt.LR()}
			}
			if startLoss < 0 {
				startLoss = cost
			}
			if cost > DivergenceFactor*max(startLoss, 1) {
				return hist, &DivergedError{Epoch: e, Batch: b + 1, What: "loss", Value: cost, Start: startLoss, LR: opt.LR()}
			}
			if net.Reduction == loss.Sum {
				lossSum += cost
			} else {
				lossSum += cost * weightSum(W, lo, hi, order) // the batch's Σw
			}
			correct += hits
			seen += hi - lo
			if cfg.OnBatch != nil {
				err := cfg.OnBatch(BatchEnd{Epoch: e, Epochs: epochs, Batch: b + 1, Batches: batches, Samples: hi - lo, Loss: cost, LR: opt.LR(), SamplesThisEpoch: seen})
				if done, err := stopped(err); done {
					return hist, err
				}
			}
		}
		rec.Loss = lossSum
		if net.Reduction != loss.Sum {
			rec.Loss = lossSum / totalW
		}
		if t.classify {
			rec.Accuracy = correct / float64(n)
		}
		if err := checkParams(net, e, opt.LR()); err != nil {
			return hist, err
		}
		if validate {
			rec.ValLoss, rec.ValAccuracy, err = t.evaluate(val)
			if err != nil {
				return hist, err
			}
			if math.IsNaN(rec.ValLoss) || math.IsInf(rec.ValLoss, 0) {
				return hist, &DivergedError{Epoch: e, What: "validation loss", Value: rec.ValLoss, LR: opt.LR()}
			}
		}
		hist.Epochs = append(hist.Epochs, rec)
		monitored := rec.Loss
		if validate {
			monitored = rec.ValLoss
		}
		improved := monitored < bestLoss-cfg.EarlyStopping.MinDelta
		if improved || hist.BestEpoch == 0 {
			bestLoss = monitored
			hist.BestEpoch = e
			wait = 0
			if cfg.EarlyStopping.RestoreBest {
				best = copyParams(best, net)
			}
		} else {
			wait++
		}
		if cfg.OnEpoch != nil {
			err := cfg.OnEpoch(EpochEnd{EpochStats: rec, Epochs: epochs, Improved: hist.BestEpoch == e})
			if done, err := stopped(err); done {
				restore(hist, best, net, cfg)
				return hist, err
			}
		}
		if p := cfg.EarlyStopping.Patience; p > 0 && wait >= p {
			hist.StoppedEarly = true
		}
		if cfg.Checkpoint != nil {
			err := cfg.Checkpoint(Checkpoint[T]{History: hist, Best: best})
			if done, err := stopped(err); done {
				restore(hist, best, net, cfg)
				return hist, err
			}
		}
		if hist.StoppedEarly {
			break
		}
	}
	restore(hist, best, net, cfg)
	return hist, nil
}

// checkResume returns an error wrapping ErrConfig if a checkpoint cannot
// be one of this network's runs.
func checkResume[T tensor.Float](r *Checkpoint[T], net *nn.Network[T], restoreBest bool) error {
	h := r.History
	for i, e := range h.Epochs {
		if e.Epoch != i+1 {
			return fmt.Errorf("%w: Resume: epoch %d of the history is numbered %d", ErrConfig, i+1, e.Epoch)
		}
	}
	if h.BestEpoch < 0 || h.BestEpoch > len(h.Epochs) || (h.BestEpoch == 0) != (len(h.Epochs) == 0) {
		return fmt.Errorf("%w: Resume: best epoch %d of a history of %d epochs", ErrConfig, h.BestEpoch, len(h.Epochs))
	}
	if !restoreBest || h.BestEpoch == 0 {
		return nil
	}
	if r.Best == nil {
		return fmt.Errorf("%w: Resume: RestoreBest is on but the checkpoint has no best weights", ErrConfig)
	}
	if len(r.Best.Layers) != len(net.Layers) {
		return fmt.Errorf("%w: Resume: the best weights have %d layers, the network %d", ErrConfig, len(r.Best.Layers), len(net.Layers))
	}
	for i, l := range net.Layers {
		b := r.Best.Layers[i]
		if b.W.Rows() != l.W.Rows() || b.W.Cols() != l.W.Cols() || (b.B == nil) != (l.B == nil) {
			return fmt.Errorf("%w: Resume: layer %d of the best weights is %s, the network's is %s", ErrConfig, i+1, b.W.Shape(), l.W.Shape())
		}
	}
	return nil
}

// resumed returns a copy of a checkpoint's history to continue from.
func resumed(h *History) *History {
	c := *h
	c.Epochs = append([]EpochStats(nil), h.Epochs...)
	c.Restored = false
	return &c
}

// restore puts the best epoch's parameters back into net when asked to.
func restore[T tensor.Float](hist *History, best, net *nn.Network[T], cfg Config[T]) {
	if !cfg.EarlyStopping.RestoreBest || best == nil || hist.BestEpoch == len(hist.Epochs) {
		return
	}
	copyParams(net, best)
	hist.Restored = true
}

// copyParams copies src's parameters into dst, allocating dst as a clone
// of src when it is nil, and returns dst.
func copyParams[T tensor.Float](dst, src *nn.Network[T]) *nn.Network[T] {
	if dst == nil {
		return src.Clone()
	}
	for i, l := range src.Layers {
		dst.Layers[i].W.Copy(l.W)
		if l.B != nil {
			dst.Layers[i].B.Copy(l.B)
		}
	}
	return dst
}

// stopped interprets a callback's error: ErrStop ends training without one.
func stopped(err error) (bool, error) {
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, ErrStop):
		return true, nil
	}
	return true, fmt.Errorf("train: callback: %w", err)
}

func (cfg *Config[T]) check() (int, error) {
	epochs := cfg.Epochs
	if epochs == 0 {
		epochs = DefaultEpochs
	}
	switch {
	case epochs < 0:
		return 0, fmt.Errorf("%w: Epochs is %d, want > 0", ErrConfig, cfg.Epochs)
	case cfg.BatchSize < -1:
		return 0, fmt.Errorf("%w: BatchSize is %d, want > 0 (0 means DefaultBatchSize, −1 full batch)", ErrConfig, cfg.BatchSize)
	case !(cfg.ValidationFraction >= 0 && cfg.ValidationFraction < 1):
		return 0, fmt.Errorf("%w: ValidationFraction is %v, want in [0, 1)", ErrConfig, cfg.ValidationFraction)
	case (cfg.ValX == nil) != (cfg.ValY == nil):
		return 0, fmt.Errorf("%w: ValX and ValY must both be set or both be nil", ErrConfig)
	case cfg.ValSampleWeights != nil && cfg.ValX == nil:
		return 0, fmt.Errorf("%w: ValSampleWeights without ValX: held-out samples take their weights from SampleWeights", ErrConfig)
	case cfg.EarlyStopping.Patience < 0:
		return 0, fmt.Errorf("%w: EarlyStopping.Patience is %d, want ≥ 0", ErrConfig, cfg.EarlyStopping.Patience)
	case !(cfg.EarlyStopping.MinDelta >= 0):
		return 0, fmt.Errorf("%w: EarlyStopping.MinDelta is %v, want ≥ 0", ErrConfig, cfg.EarlyStopping.MinDelta)
	}
	return epochs, nil
}

// checkData returns an error wrapping ErrData if X and Y do not fit net or
// hold a value that is not finite.
func checkData[T tensor.Float](net *nn.Network[T], xName, yName string, X, Y *tensor.Dense[T]) error {
	switch {
	case X == nil || Y == nil:
		return fmt.Errorf("%w: %s and %s must not be nil", ErrData, xName, yName)
	case X.Rows() == 0:
		return fmt.Errorf("%w: %s has no samples", ErrData, xName)
	case X.Cols() != net.Inputs():
		return fmt.Errorf("%w: %s has %d features per sample, the network expects %d", ErrData, xName, X.Cols(), net.Inputs())
	case Y.Rows() != X.Rows():
		return fmt.Errorf("%w: %s has %d samples but %s has %d", ErrData, xName, X.Rows(), yName, Y.Rows())
	case Y.Cols() != net.Outputs():
		return fmt.Errorf("%w: %s has %d columns, the network has %d outputs", ErrData, yName, Y.Cols(), net.Outputs())
	}
	for _, m := range []struct {
		name string
		d    *tensor.Dense[T]
	}{{xName, X}, {yName, Y}} {
		cols := m.d.Cols()
		for i, v := range m.d.Data() {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("%w: %s sample %d, column %d is %v: every value must be a finite number", ErrData, m.name, i/cols+1, i%cols+1, f)
			}
		}
	}
	return nil
}

// checkParams returns a *DivergedError naming the first parameter tensor
// that holds a value that is not finite.
func checkParams[T tensor.Float](net *nn.Network[T], epoch int, lr float64) error {
	for i, l := range net.Layers {
		for _, p := range [2]*tensor.Dense[T]{l.W, l.B} {
			if p == nil {
				continue
			}
			for _, v := range p.Data() {
				if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
					name := "W"
					if p == l.B {
						name = "b"
					}
					return &DivergedError{Epoch: epoch, What: fmt.Sprintf("%s%d", name, i+1), Value: f, LR: lr}
				}
			}
		}
	}
	return nil
}

// holdOut chooses a fraction of the samples, by permutations from src,
// as validation data: stratified by the class of Y's rows for a
// classifier, at random otherwise. held[i] reports whether sample i is
// held out.
func holdOut[T tensor.Float](net *nn.Network[T], Y *tensor.Dense[T], frac float64, src *rng.Source) (held []bool, err error) {
	n := Y.Rows()
	k := 0
	if classifier(net) {
		held = data.Stratify(classes(Y, softmaxOutput(net)), frac, src)
		for _, h := range held {
			if h {
				k++
			}
		}
	} else {
		k = int(math.Round(frac * float64(n)))
		held = make([]bool, n)
		if k >= 1 && k < n {
			for _, i := range src.Perm(n)[:k] {
				held[i] = true
			}
		}
	}
	if k < 1 || k >= n {
		return nil, fmt.Errorf("%w: a validation fraction of %v of %d samples leaves %d for validation and %d for training", ErrData, frac, n, k, n-k)
	}
	return held, nil
}

// classes returns the class of each row of the targets Y: the index of
// its largest value for a softmax output, else a number for each pattern
// of the columns above 0.5 (for one sigmoid output, 0 or 1), in order of
// first appearance.
func classes[T tensor.Float](Y *tensor.Dense[T], softmax bool) []int {
	class := make([]int, Y.Rows())
	ids := map[string]int{}
	key := make([]byte, Y.Cols())
	for i := range class {
		if softmax {
			class[i] = argmax(Y.Row(i))
			continue
		}
		for j, v := range Y.Row(i) {
			key[j] = '0'
			if v > 0.5 {
				key[j] = '1'
			}
		}
		id, ok := ids[string(key)]
		if !ok {
			id = len(ids)
			ids[string(key)] = id
		}
		class[i] = id
	}
	return class
}

// samples is a set of rows of X and Y: sample i is row rows[i], or row
// i when rows is nil, with weight W[i] (W nil for none). Fit trains and
// validates on samples, so that holding out a validation fraction copies
// no data.
type samples[T tensor.Float] struct {
	X, Y *tensor.Dense[T]
	W    []float64 // the samples' weights, one per sample (not per row), or nil
	rows []int     // the rows of X and Y in use, in order; nil for all of them
}

// len returns the number of samples.
func (s samples[T]) len() int {
	if s.rows == nil {
		return s.X.Rows()
	}
	return len(s.rows)
}

// view returns the samples idx of s as views of its X, Y and W, without
// copying, when they are consecutive samples in consecutive rows (a batch
// of unshuffled samples), and nils otherwise. The views reuse the
// trainer's headers.
func (t *trainer[T]) view(s samples[T], idx []int) (X, Y *tensor.Dense[T], W []float64) {
	if len(idx) == 0 {
		return nil, nil, nil
	}
	lo := s.row(idx[0])
	for i, j := range idx {
		if j != idx[0]+i || s.row(j) != lo+i {
			return nil, nil, nil
		}
	}
	hi := lo + len(idx)
	if s.W != nil {
		W = s.W[idx[0] : idx[0]+len(idx)]
	}
	t.xv, t.yv = s.X.SliceInto(t.xv, lo, hi), s.Y.SliceInto(t.yv, lo, hi)
	return t.xv, t.yv, W
}

// row returns the row of X and Y that holds sample i.
func (s samples[T]) row(i int) int {
	if s.rows == nil {
		return i
	}
	return s.rows[i]
}

// split returns the samples of s (all rows of its X and Y) that held
// marks false and those it marks true, each in their order, as rows of
// the same X and Y.
func split[T tensor.Float](s samples[T], held []bool) (kept, out samples[T]) {
	kept, out = samples[T]{X: s.X, Y: s.Y, rows: []int{}}, samples[T]{X: s.X, Y: s.Y, rows: []int{}}
	for i, h := range held {
		if h {
			out.rows = append(out.rows, i)
		} else {
			kept.rows = append(kept.rows, i)
		}
	}
	kept.W, out.W = splitWeights(s.W, held)
	return kept, out
}

// splitWeights splits sample weights as split does the samples; nil
// stays nil.
func splitWeights(w []float64, held []bool) (kept, out []float64) {
	if w == nil {
		return nil, nil
	}
	for i, h := range held {
		if h {
			out = append(out, w[i])
		} else {
			kept = append(kept, w[i])
		}
	}
	return kept, out
}

// checkWeights returns an error wrapping ErrData (and loss.ErrWeight)
// unless w is nil or holds n finite weights ≥ 0 that are not all 0.
func checkWeights(name string, w []float64, n int) error {
	if err := loss.CheckWeights(w, n); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrData, name, err)
	}
	if w != nil && weightSum(w, 0, n, nil) == 0 {
		return fmt.Errorf("%w: %s: every weight is 0: nothing to train on or measure", ErrData, name)
	}
	return nil
}

// weightSum returns the sum of the weights of samples order[lo:hi] (of
// samples lo to hi−1 when order is nil), or hi − lo when w is nil.
func weightSum(w []float64, lo, hi int, order []int) float64 {
	if w == nil {
		return float64(hi - lo)
	}
	var s float64
	for i := lo; i < hi; i++ {
		if order != nil {
			s += w[order[i]]
		} else {
			s += w[i]
		}
	}
	return s
}

// classifier reports whether net's output is a classifier's: softmax with
// cross-entropy, or sigmoid with binary cross-entropy.
func classifier[T tensor.Float](net *nn.Network[T]) bool {
	out := net.Layers[len(net.Layers)-1].Activation
	return (net.Loss == loss.CrossEntropy && out == activation.Softmax) ||
		(net.Loss == loss.BinaryCrossEntropy && out == activation.Sigmoid)
}

// Evaluate returns net's loss on X and Y and, for a classifier, its
// accuracy (NaN otherwise). It runs the fused forward step, as training
// does, over blocks of EvalRows samples, so that its memory does not grow
// with the number of samples. It returns an error wrapping ErrData if
// the data does not fit the network. It does not modify net.
func Evaluate[T tensor.Float](net *nn.Network[T], X, Y *tensor.Dense[T]) (cost, accuracy float64, err error) {
	if err := checkData(net, "X", "Y", X, Y); err != nil {
		return 0, 0, err
	}
	return newTrainer(net, nil).evaluate(samples[T]{X: X, Y: Y})
}

// EvalRows is the number of samples Evaluate and Fit's validation run
// through the network at a time: a block small enough that its
// activations stay a few megabytes for any data set, and large enough
// that the products run at full speed.
const EvalRows = 1024

// hits counts the samples whose predicted class matches the target: the
// largest output against the largest target after a softmax; ŷ > 0.5
// against y > 0.5 for sigmoid outputs (a sample counts if all of its
// outputs match).
func hits[T tensor.Float](out, Y *tensor.Dense[T], softmax bool) float64 {
	var n float64
	for i := range out.Rows() {
		o, y := out.Row(i), Y.Row(i)
		if softmax {
			if argmax(o) == argmax(y) {
				n++
			}
			continue
		}
		ok := true
		for j := range o {
			if (o[j] > 0.5) != (y[j] > 0.5) {
				ok = false
				break
			}
		}
		if ok {
			n++
		}
	}
	return n
}

// softmaxOutput reports whether net's last layer is a softmax.
func softmaxOutput[T tensor.Float](net *nn.Network[T]) bool {
	return net.Layers[len(net.Layers)-1].Activation == activation.Softmax
}

func argmax[T tensor.Float](row []T) int {
	best := 0
	for j, v := range row {
		if v > row[best] {
			best = j
		}
	}
	return best
}

// trainer holds what one batch step needs, and owns every buffer the
// steps use, so that a step after the first allocates nothing: the
// forward cache, the gradients, the optimizer's parameter list and the
// batch the samples are gathered into. A trainer built as a literal with
// only net, opt, classify and softmax set creates them on its first step.
type trainer[T tensor.Float] struct {
	net      *nn.Network[T]
	opt      optim.Optimizer[T]
	classify bool
	softmax  bool

	cache  nn.Cache[T]
	grads  nn.Gradients[T]
	xb, yb *tensor.Dense[T] // the batch being trained on
	xv, yv *tensor.Dense[T] // or views of its rows where they lie in order
	wb     []float64        // its sample weights
	val    nn.Cache[T]      // the validation pass's forward values
	vx, vy *tensor.Dense[T] // a block of validation samples gathered from their rows
	vw     []float64        // their weights
	iota   []int            // the block's sample indices
}

func newTrainer[T tensor.Float](net *nn.Network[T], opt optim.Optimizer[T]) *trainer[T] {
	return &trainer[T]{net: net, opt: opt, classify: classifier(net), softmax: softmaxOutput(net)}
}

// gather copies the samples order[i] of s, and their weights (if any),
// into the trainer's batch buffers, in that order, and returns them.
func (t *trainer[T]) gather(s samples[T], order []int) (xb, yb *tensor.Dense[T], wb []float64) {
	t.xb, t.yb, t.wb = gatherInto(t.xb, t.yb, t.wb, s, order)
	return t.xb, t.yb, t.wb
}

// gatherInto copies the samples idx[i] of s and their weights (if any)
// into xb, yb and wb, reused or allocated (tensor.Reuse, append), and
// returns them; wb is nil when s has no weights.
func gatherInto[T tensor.Float](xb, yb *tensor.Dense[T], wb []float64, s samples[T], idx []int) (*tensor.Dense[T], *tensor.Dense[T], []float64) {
	xb = tensor.Reuse(xb, len(idx), s.X.Cols())
	yb = tensor.Reuse(yb, len(idx), s.Y.Cols())
	kernel.GatherRows(xb.Data(), s.X.Data(), s.X.Cols(), idx, s.rows) // split between threads when large
	for i, j := range idx {
		copy(yb.Row(i), s.Y.Row(s.row(j)))
	}
	if s.W == nil {
		return xb, yb, nil
	}
	wb = wb[:0]
	for _, j := range idx {
		wb = append(wb, s.W[j])
	}
	return xb, yb, wb
}

// step runs forward, cost, backward and the optimizer's update on one
// batch, with sample weights W (nil for none), and returns the batch's
// loss (before the update) and the number of correctly classified
// samples (0 for a regressor).
func (t *trainer[T]) step(X, Y *tensor.Dense[T], W []float64) (cost, correct float64, err error) {
	// step 1: forward, keeping A_prev, Z, A; step 2: cost, from the
	// softmax's log-sum-exps where it can
	if cost, err = t.net.ForwardCostInto(&t.cache, X, Y, W); err != nil {
		return 0, 0, err
	}
	if t.classify {
		correct = hits(t.cache.Output(), Y, t.softmax)
	}
	t.grads.NoInputGrad = true // ∂L/∂X is not needed
	// step 3: dZ, dW, db, dA_prev per layer; step 4: update every W and
	// b, each block of W as soon as its dW is computed
	if err := t.net.BackwardStep(&t.grads, &t.cache, Y, W, t.opt); err != nil {
		return 0, 0, err
	}
	return cost, correct, nil
}

// evaluate returns the loss, weighted by s.W, and the accuracy (NaN
// for a regressor) of net on the samples s, which Fit or Evaluate has
// checked, forward block by block of EvalRows samples into the trainer's
// validation buffers. Under the Mean reduction the loss is the blocks'
// losses weighted by their Σw.
func (t *trainer[T]) evaluate(s samples[T]) (cost, accuracy float64, err error) {
	n := s.len()
	var correct, totalW float64
	for lo := 0; lo < n; lo += EvalRows {
		hi := min(lo+EvalRows, n)
		var xb, yb *tensor.Dense[T]
		var wb []float64
		if s.rows == nil {
			xb, yb = s.X.Slice(lo, hi), s.Y.Slice(lo, hi)
			if s.W != nil {
				wb = s.W[lo:hi]
			}
		} else {
			t.iota = resizeIota(t.iota, lo, hi)
			t.vx, t.vy, t.vw = gatherInto(t.vx, t.vy, t.vw, s, t.iota)
			xb, yb, wb = t.vx, t.vy, t.vw
		}
		c, err := t.net.ForwardCostInto(&t.val, xb, yb, wb)
		if err != nil {
			return 0, 0, err
		}
		if t.net.Reduction != loss.Sum {
			sw := weightSum(wb, 0, hi-lo, nil)
			c *= sw
			totalW += sw
		}
		cost += c
		if t.classify {
			correct += hits(t.val.Output(), yb, t.softmax)
		}
	}
	if t.net.Reduction != loss.Sum && totalW > 0 {
		cost /= totalW
	}
	accuracy = math.NaN()
	if t.classify {
		accuracy = correct / float64(n)
	}
	return cost, accuracy, nil
}

// resizeIota returns idx holding lo, lo+1, …, hi−1, reusing its storage.
func resizeIota(idx []int, lo, hi int) []int {
	idx = idx[:0]
	for i := lo; i < hi; i++ {
		idx = append(idx, i)
	}
	return idx
}
