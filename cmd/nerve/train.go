package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/metrics"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// trainConfig is what the train command line says.
type trainConfig struct {
	f *flagSet // the parsed command line
	dataFlags
	columnFlags
	task                     string
	test, testLabels         string
	hidden                   []int
	activation, optimizer    string
	epochs, batch, earlyStop int
	lr, val                  float64
	seed                     uint32
	out                      string
	checkpoint, resume       string
	noScaling                bool
	quiet, json              bool
	plot                     string // --plot DIR, "" for none
	classWeight              classWeightValue
	sampleWeight             string // --sample-weight COLUMN, "" for none
	table                    bool   // a resumed run read --data as a raw table
}

func defaultTrainConfig() trainConfig {
	return trainConfig{
		task: "auto", hidden: slices.Clone(nerve.DefaultHidden), activation: "relu", optimizer: "adam",
		out: "model.nerve",
	}
}

// iris defaults: the embedded data is small, so it trains with a small
// tanh layer and a faster learning rate than the defaults made for
// bigger files.
const (
	irisLR         = 0.01
	irisActivation = "tanh"
	irisTest       = 0.3
)

// The default batch size depends on the number of training samples: a
// small table gets batches of smallBatch, so that it makes a few updates
// per epoch; from largeData samples on, batches of largeBatch converge
// in fewer, faster epochs to a better model (MNIST: 0.9800, 0.9818,
// 0.9853 test accuracy for seeds 2, 1, 3 against 0.9798, 0.9808, 0.9803
// with batches of 32; see BENCHMARKS.md).
const (
	smallBatch = 32
	largeBatch = 128
	largeData  = 10000
)

// irisHidden is the hidden layer the embedded iris data trains with.
var irisHidden = []int{8}

func (c *trainConfig) flags(f *flagSet) {
	c.f = f
	c.define(f, "", "train on `FILE`: CSV (optionally gzipped), or IDX images with --labels; default: the embedded iris data", true, "the last column")
	f.Var(choiceValue{&c.task, []string{"auto", "classification", "regression"}}, "task", "`auto|classification|regression`: auto makes text targets and integer targets with few values classes")
	c.defineColumns(f)
	f.String(&c.test, "test", "evaluate on the held-out `FILE` after training (same format as --data)")
	f.String(&c.testLabels, "test-labels", "IDX labels `FILE` for IDX images in --test")
	f.Var(unitsValue(&c.hidden), "hidden", "hidden layer sizes `N,N,...` or none")
	f.Var(choiceValue{&c.activation, []string{"relu", "leaky-relu", "tanh", "sigmoid"}}, "activation", "hidden activation: `relu|leaky-relu|tanh|sigmoid`")
	f.Var(choiceValue{&c.optimizer, optim.Names()}, "optimizer", "`NAME`: "+strings.Join(optim.Names(), ", "))
	f.Var(positive(&c.lr), "lr", "learning rate `X` > 0 (default: the optimizer's own, 0.001 for adam)")
	f.Var(atLeast(&c.epochs, 1), "epochs", fmt.Sprintf("train for `N` epochs (default: until the loss has not improved by %g for %d epochs, at most %d; with --early-stop, %d epochs)", nerve.DefaultTol, nerve.DefaultPatience, nerve.DefaultMaxEpochs, nerve.DefaultEpochs))
	f.Var(atLeast(&c.batch, 1), "batch", fmt.Sprintf("`N` samples per update (default: %d, or %d for %d samples or more)", smallBatch, largeBatch, largeData))
	f.Var(fraction(&c.val), "val", "hold out fraction `F` of the training data for validation, e.g. 0.2 (stratified for a classifier: each class keeps its share)")
	f.String(&c.sampleWeight, "sample-weight", "weigh each row's loss by the number in the CSV column `COL` (≥ 0; a weight of 2 counts like a second copy of the row), which is then not a feature; combines with --class-weight")
	f.Var(&c.classWeight, "class-weight", "`balanced|LABEL=W,...`: weight each class's samples in the loss (classifiers); balanced weighs class c n/(k·count(c)), as scikit-learn's class_weight='balanced'")
	f.Var(atLeast(&c.earlyStop, 0), "early-stop", "stop after `N` epochs without improvement of the validation loss (training loss without --val) and keep the best weights; without --epochs this runs at most "+fmt.Sprint(nerve.DefaultEpochs)+" epochs instead of converging")
	f.Bool(&c.noScaling, "no-scaling", "feed the features to the network as they are, not standardised; the default for IDX images, whose pixels are already in [0, 1] and whose rarely inked border pixels standardising blows up (--no-scaling=false standardises them too)")
	f.Var(seedValue(&c.seed), "seed", "seed `N` for the initial weights, shuffling and splits")
	f.String(&c.out, "out", "write the model to `FILE`")
	f.String(&c.checkpoint, "checkpoint", "after every epoch write a checkpoint to `FILE`: a model that --resume continues from (after Ctrl-C it holds the last finished epoch)")
	f.String(&c.resume, "resume", "continue the run whose checkpoint is `FILE` with its data and settings (--epochs may raise the count), reaching the weights of an uninterrupted run; it goes on checkpointing to FILE unless --checkpoint says otherwise")
	f.Bool(&c.quiet, "quiet", "print only the final result, no progress")
	f.Bool(&c.json, "json", "print one JSON object per epoch and a summary object on stdout, no progress")
	f.Var(plotDirValue{&c.plot}, "plot", "after training, draw loss.png, network.svg and (for a classifier of 2 features) boundary.png in `DIR`, created if missing")
}

func trainAbout(w io.Writer) {
	fmt.Fprint(w, `Train reads a table, trains a multilayer perceptron on it and writes the
model to a file (docs/model-format.md) that predict, evaluate and inspect
read. Text targets (and integer targets with few values) make a
classifier; numbers a regressor. CSV features are standardised with
statistics stored in the model, unless --no-scaling; IDX images go in
as pixels scaled to [0, 1].

A CSV table may hold text and missing cells (empty, NA, N/A, NaN, null,
?; --na adds more): a column of text is categorical and one-hot
encoded, a missing number gets the training median, and the model
stores these steps so that predict and evaluate apply them to raw
tables too. --categorical, --numeric, --drop and --features override
what train detects; nerve describe shows what it detects.

Without --epochs it trains until the loss converges, as scikit-learn's
MLPClassifier does: it stops once the training loss (the validation
loss with --val) has not improved by 1e-4 for 10 epochs, after 500
epochs at most, and the summary line says which ended the run.

With no --data it trains on the embedded iris data (150 flowers, 4
features, 3 species), holding out 30 % for the test, with --hidden 8
--activation tanh --lr 0.01 unless given.

Progress goes to standard error: a progress bar on a terminal, one line
per epoch otherwise. Ctrl-C stops after the current batch. With
--checkpoint FILE, every finished epoch is saved to FILE, and
"nerve train --resume FILE" later continues the run with the same data
and settings to the weights it would have reached without the stop.

Examples:

	nerve train
	nerve train --data wine.csv --target class --hidden 32 --val 0.2 --early-stop 10
	nerve train --data titanic.csv --target survived --drop id,name --categorical class
	nerve train --data train-images-idx3-ubyte.gz --labels train-labels-idx1-ubyte.gz \
		--test t10k-images-idx3-ubyte.gz --test-labels t10k-labels-idx1-ubyte.gz \
		--hidden 256,128 --out mnist.nerve   # batches of 128 by default here
	nerve train --data churn.csv --target churned --class-weight balanced --val 0.2
	nerve train --data trials.csv --target outcome --sample-weight weight
	nerve train --data big.csv --epochs 50 --checkpoint run.ckpt   # Ctrl-C, then:
	nerve train --resume run.ckpt
`)
}

func (c *trainConfig) run(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
	r := &trainRun{c: c, stdout: stdout, log: newProgress(stderr, c.quiet || c.json)}
	if err := r.load(ctx); err != nil {
		return err
	}
	if err := checkModelLimits(r.trainSet, c.hidden); err != nil {
		return err
	}
	r.configure()
	if err := r.train(ctx); err != nil {
		return err
	}
	return r.report()
}

// trainRun is one run of nerve train, in four steps: load reads the
// data (and the checkpoint to resume), configure turns the command line
// into nerve.Options, train fits the network, and report scores it,
// saves it and says what happened.
type trainRun struct {
	c      *trainConfig
	stdout io.Writer
	log    *progress

	resume            *model.Model[float32] // the checkpoint --resume names, or nil
	trainSet, testSet *data.Dataset

	opts         nerve.Options
	checkpointed int // epochs done at the last checkpoint written
	lastEpoch    int // the last epoch finished
	start        time.Time

	hist    *train.History
	trained *model.Model[float32]
	// prep is the preprocessing of a raw table (loadTables), or nil;
	// table and prepOpt are the table and the options it was fitted
	// with, which train gives FitTable.
	prep    *data.Preprocessing
	table   *data.Table
	prepOpt data.PrepOptions
	weights []float64 // the rows' --sample-weight, or nil
	// predict gives the trained model's outputs for X and, for a
	// classifier, the classes its columns stand for.
	predict func(X *tensor.Dense[float64]) (*tensor.Dense[float64], []string, error)
}

// load checks the command line, reads the checkpoint to resume and the
// training and test data, and fills in the defaults that depend on them.
func (r *trainRun) load(ctx context.Context) error {
	c, f := r.c, r.c.f
	if c.labels != "" && c.data == "" {
		return usagef("train: --labels needs --data IMAGES")
	}
	if c.testLabels != "" && c.test == "" {
		return usagef("train: --test-labels needs --test IMAGES")
	}
	var err error
	if c.resume != "" {
		if r.resume, err = c.fromCheckpoint(f); err != nil {
			return err
		}
	}
	inputs := []namedPath{{"data", c.data}, {"labels", c.labels}, {"test", c.test}, {"test-labels", c.testLabels}}
	if c.resume != "" && !isSameFile(c.resume, c.checkpoint) {
		inputs = append(inputs, namedPath{"resume", c.resume})
	}
	if err := checkDistinct("train", []namedPath{{"out", c.out}, {"checkpoint", c.checkpoint}}, inputs); err != nil {
		return err
	}
	if err := checkOutPath("out", c.out); err != nil {
		return err
	}
	if c.checkpoint != "" {
		if err := checkOutPath("checkpoint", c.checkpoint); err != nil {
			return err
		}
	}
	if c.columnFlags.given() && (c.data == "" || c.labels != "") {
		return usagef("train: --categorical, --numeric, --drop, --features and --na apply to a CSV table in --data")
	}
	if c.sampleWeight != "" && (c.data == "" || c.labels != "") {
		return usagef("train: --sample-weight names a column of a CSV table in --data")
	}
	if c.data == "" {
		return r.loadIris()
	}
	if c.columnFlags.given() || c.sampleWeight != "" || c.table {
		return r.loadTables()
	}
	if c.labels != "" && !f.set("no-scaling") && r.resume == nil {
		c.noScaling = true // IDX pixels are already in [0, 1]
	}
	// Features the network takes as they are load straight into
	// float32, the precision it trains in, and are stored only so.
	r.trainSet, err = loadLabelled(ctx, c.data, c.labels, c.target, taskOf(c.task), c.noScaling)
	if c.labels == "" && (errors.Is(err, data.ErrNotNumber) || errors.Is(err, data.ErrEmptyCell)) {
		return r.loadTables() // text or missing cells: a raw table
	}
	if err != nil {
		return err
	}
	if c.test != "" {
		r.testSet, err = loadLabelled(ctx, c.test, c.testLabels, c.target, taskOf(c.task), c.noScaling)
		if err != nil {
			return err
		}
		if err := sameKind(r.trainSet, r.testSet, c.test); err != nil {
			return err
		}
	}
	if c.task == "classification" && !r.trainSet.Classification() {
		return fmt.Errorf("%s: --task classification, but the target is numeric", c.data)
	}
	return nil
}

// loadIris splits the embedded iris data into training and test sets,
// with the iris defaults for a new run.
func (r *trainRun) loadIris() error {
	c, f := r.c, r.c.f
	var err error
	if r.trainSet, r.testSet, err = data.Iris().Split(irisTest, c.seed); err != nil {
		return err
	}
	if r.resume != nil {
		return nil
	}
	if !f.set("lr") {
		c.lr = irisLR
	}
	if !f.set("hidden") {
		c.hidden = irisHidden
	}
	if !f.set("activation") {
		c.activation = irisActivation
	}
	r.log.say("no --data given: training on the embedded iris data (%d flowers for training, %d for the test) with --hidden %s --activation %s --lr %g", r.trainSet.Len(), r.testSet.Len(), unitsValue(&c.hidden), c.activation, c.lr)
	return nil
}

// configure turns the command line into the options of the fit: the
// network, the optimizer, the checkpoints and the progress callbacks.
func (r *trainRun) configure() {
	c := r.c
	if c.batch == 0 {
		c.batch = smallBatch
		if r.trainSet.Len() >= largeData {
			c.batch = largeBatch
		}
	}
	r.opts = nerve.Options{
		Hidden: c.hidden, Activation: c.activation, Optimizer: c.optimizer, LR: c.lr,
		Epochs: c.epochs, BatchSize: c.batch, Validation: c.val, Patience: c.earlyStop, Seed: c.seed,
		NoScaling: c.noScaling, Resume: r.resume,
		BalancedClassWeight: c.classWeight.balanced, ClassWeight: c.classWeight.byLabel,
	}
	if r.resume != nil {
		r.log.resumed = resumedEpochs(r.resume)
		if c.checkpoint == c.resume {
			r.checkpointed = r.log.resumed
		}
		of := fmt.Sprint(c.epochs)
		if c.epochs == 0 {
			of = "at most " + fmt.Sprint(nerve.DefaultMaxEpochs)
		}
		r.log.say("resuming %s after epoch %d of %s", c.resume, r.log.resumed, of)
	}
	if c.checkpoint != "" {
		rec := c.record(r.table != nil)
		r.opts.Checkpoint = func(m *model.Model[float32]) error {
			m.Features, m.Target, m.Preprocessing = r.trainSet.Features, r.trainSet.Target, r.prep
			m.Training = withRecord(m.Training, "cli", rec)
			if err := model.Save(c.checkpoint, m); err != nil {
				return err
			}
			r.checkpointed = r.lastEpoch
			return nil
		}
	}
	r.opts.OnBatch = r.log.batch
	r.opts.OnEpoch = func(e train.EpochEnd) error {
		r.lastEpoch = e.Epoch
		if c.json {
			writeJSONLine(r.stdout, epochJSON(e.EpochStats))
		}
		r.log.epoch(e, time.Since(r.start))
		return nil
	}
}

// train fits a classifier or a regressor, as the target asks.
func (r *trainRun) train(ctx context.Context) error {
	kind := "regressor"
	if r.trainSet.Classification() {
		kind = "classifier"
	} else if r.c.classWeight.given() {
		return usagef("train: --class-weight is for classifiers, and %s has a numeric target (a regression)", r.trainSet.Name)
	}
	d := r.trainSet
	r.log.say("training a %s on %d samples × %d features (%s)", kind, d.Len(), d.Cols(), d.Name)
	r.start = time.Now()
	var err error
	if d.Classification() {
		clf := nerve.NewClassifier[string](r.opts)
		switch {
		case r.table != nil:
			r.hist, err = clf.FitTableWeighted(ctx, r.table, r.prepOpt, r.weights)
		case d.X32 != nil:
			r.hist, err = clf.FitFloat32(ctx, d.X32, d.Labels)
		default:
			r.hist, err = clf.Fit(ctx, d.X, d.Labels)
		}
		r.predict = func(X *tensor.Dense[float64]) (*tensor.Dense[float64], []string, error) {
			p, err := clf.PredictProba(X)
			return p, clf.Classes(), err
		}
		r.trained = clf.Model()
	} else {
		reg := nerve.NewRegressor(r.opts)
		switch {
		case r.table != nil:
			// FitTable standardises the target, as Fit does, but not
			// the inputs, which the preprocessing made.
			r.hist, err = reg.FitTableWeighted(ctx, r.table, r.prepOpt, r.weights)
		case d.X32 != nil:
			r.hist, err = reg.FitFloat32(ctx, d.X32, d.Y)
		default:
			r.hist, err = reg.Fit(ctx, d.X, d.Y)
		}
		r.predict = func(X *tensor.Dense[float64]) (*tensor.Dense[float64], []string, error) {
			p, err := reg.Predict(X)
			return p, nil, err
		}
		r.trained = reg.Model()
	}
	r.log.done()
	if r.prep != nil && r.trained != nil {
		r.trained.Preprocessing, r.trained.Features, r.trained.Target = r.prep, r.prep.Features(), r.prep.Target
	}
	switch {
	case errors.Is(err, context.Canceled):
		return interrupted(r.c.checkpoint, len(r.hist.Epochs), r.checkpointed)
	case err != nil && r.resume != nil && errors.Is(err, nerve.ErrOptions):
		return fmt.Errorf("--resume %s: %w", r.c.resume, err)
	}
	return err
}

// report scores the trained model on the test set, saves it with its
// plots and prints the outcome, as text or as a JSON summary.
func (r *trainRun) report() error {
	c, hist, stdout := r.c, r.hist, r.stdout
	seconds := time.Since(r.start).Seconds()
	summary := map[string]any{"epochs": len(hist.Epochs), "best_epoch": hist.BestEpoch, "stopped_early": hist.StoppedEarly, "stop": string(hist.Stop), "seconds": seconds}
	var testReport string
	if r.testSet != nil {
		P, classes, err := predictBlocks(r.testSet, r.predict)
		if err != nil {
			return fmt.Errorf("%s: %w", r.testSet.Name, err)
		}
		var scores map[string]float64
		if scores, testReport, err = score(r.testSet, P, classes); err != nil {
			return err
		}
		for k, v := range scores {
			summary["test_"+k] = v
			r.trained.Metrics["test_"+k] = v
		}
	}
	r.trained.Features, r.trained.Target = r.trainSet.Features, r.trainSet.Target
	if err := model.Save(c.out, r.trained); err != nil {
		return err
	}
	if err := writeTrainPlots(c.plot, hist, r.trained, r.trainSet, r.log); err != nil {
		return err
	}
	summary["model"] = c.out
	if c.json {
		writeJSONLine(stdout, summary)
		return nil
	}
	last := hist.Last()
	fmt.Fprintf(stdout, "trained %d epochs in %.1fs: loss %.4f", len(hist.Epochs), seconds, last.Loss)
	if !math.IsNaN(last.ValLoss) {
		fmt.Fprintf(stdout, ", validation loss %.4f", last.ValLoss)
	}
	fmt.Fprintln(stdout, r.stopNote())
	if testReport != "" {
		fmt.Fprintf(stdout, "\ntest set %s (%d samples):\n%s\n", r.testSet.Name, r.testSet.Len(), testReport)
	}
	fmt.Fprintf(stdout, "model written to %s\n", c.out)
	return nil
}

// stopNote says, in a few words after the summary line, why training
// stopped: the loss converged, early stopping (with the epoch kept), or
// the cap of epochs reached before converging; "" when it ran the
// --epochs asked for.
func (r *trainRun) stopNote() string {
	c, hist := r.c, r.hist
	converge := c.epochs == 0 && c.earlyStop == 0 // no --epochs, here or in the run resumed
	monitored := "training loss"
	if c.val > 0 {
		monitored = "validation loss"
	}
	switch {
	case hist.Stop == train.StopNoImprovement && converge && c.val == 0:
		return fmt.Sprintf(" (converged: the %s improved by less than %g in the last %d epochs)", monitored, nerve.DefaultTol, nerve.DefaultPatience)
	case hist.Stop == train.StopNoImprovement:
		return fmt.Sprintf(" (stopped early: no better %s in the last %d epochs; kept epoch %d)", monitored, hist.Epochs[len(hist.Epochs)-1].Epoch-hist.BestEpoch, hist.BestEpoch)
	case hist.Stop == train.StopEpochs && converge:
		return fmt.Sprintf(" (stopped at the cap of %d epochs, still improving: --epochs N trains longer)", len(hist.Epochs))
	}
	return ""
}

// predictRows is how many test samples predictBlocks converts and runs
// through the network at a time.
const predictRows = 1024

// predictBlocks returns predict's outputs for the samples of d, block by
// block of predictRows samples, so that scoring a large test set takes
// no float64 copy of it (d.X32) nor the network's activations for all of
// it at once.
func predictBlocks(d *data.Dataset, predict func(*tensor.Dense[float64]) (*tensor.Dense[float64], []string, error)) (*tensor.Dense[float64], []string, error) {
	var P *tensor.Dense[float64]
	var classes []string
	var x, buf *tensor.Dense[float64]
	n := d.Len()
	for lo := 0; lo < n; lo += predictRows {
		hi := min(lo+predictRows, n)
		if d.X != nil {
			x = d.X.Slice(lo, hi)
		} else {
			buf = tensor.Reuse(buf, hi-lo, d.Cols())
			x = buf
			for i, v := range d.X32.Data()[lo*d.Cols() : hi*d.Cols()] {
				x.Data()[i] = float64(v)
			}
		}
		p, c, err := predict(x)
		if err != nil {
			return nil, nil, err
		}
		if P == nil {
			P, classes = tensor.Zeros[float64](n, p.Cols()), c
		}
		copy(P.Data()[lo*p.Cols():hi*p.Cols()], p.Data())
	}
	return P, classes, nil
}

// sameKind checks that a test set has the same kind of target and the
// same width as the training set.
func sameKind(tr, te *data.Dataset, path string) error {
	if tr.Classification() != te.Classification() {
		return fmt.Errorf("%s: the test target is %s but the training target is %s", path, kindWord(te), kindWord(tr))
	}
	if tr.Cols() != te.Cols() {
		return fmt.Errorf("%s: has %d feature columns, the training data has %d", path, te.Cols(), tr.Cols())
	}
	// An unseen test label would fail the scoring after training: say
	// so before spending the time.
	if tr.Classification() {
		classes := make(map[string]bool)
		for _, l := range tr.Labels {
			classes[l] = true
		}
		for i, l := range te.Labels {
			if !classes[l] {
				return fmt.Errorf("%s: sample %d has label %q, which is not one of the %d classes of the training data", path, i+1, l, len(classes))
			}
		}
	}
	return nil
}

func kindWord(d *data.Dataset) string {
	if d.Classification() {
		return "class labels"
	}
	return "numeric"
}

// score computes the metrics of predictions P on a labelled dataset and
// a printable report: accuracy, log-loss and the per-class report for a
// classifier, MSE, MAE and R² for a regressor.
func score(d *data.Dataset, P *tensor.Dense[float64], classes []string) (map[string]float64, string, error) {
	if d.Classification() {
		c, err := data.ClassesOf(classes)
		if err != nil {
			return nil, "", err
		}
		idx, err := c.Encode(d.Labels)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", d.Name, err)
		}
		pred := c.Decode(data.Argmax(P))
		conf, err := metrics.NewConfusionWith(d.Labels, pred, classes)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", d.Name, err)
		}
		s := map[string]float64{
			"accuracy": metrics.Accuracy(d.Labels, pred),
			"log_loss": metrics.LogLoss(idx, P),
			"macro_f1": conf.Macro().F1,
		}
		report := fmt.Sprintf("accuracy %.4f, log-loss %.4f\n\n%s\nconfusion matrix (rows: true class, columns: predicted):\n%s", s["accuracy"], s["log_loss"], conf.Report(), conf.String())
		return s, report, nil
	}
	s := map[string]float64{
		"mse": metrics.MSEDense(d.Y, P),
		"mae": metrics.MAEDense(d.Y, P),
		"r2":  metrics.R2Dense(d.Y, P),
	}
	return s, fmt.Sprintf("MSE %.6g, MAE %.6g, R² %.4f", s["mse"], s["mae"], s["r2"]), nil
}
