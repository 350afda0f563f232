package metrics

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// ErrUnknownLabel is wrapped by the error NewConfusionWith returns when a
// label in yTrue or yPred is not one of the given classes.
var ErrUnknownLabel = errors.New("metrics: unknown label")

// ErrDuplicateClass is wrapped by the error NewConfusionWith returns when
// the given classes list a label twice.
var ErrDuplicateClass = errors.New("metrics: duplicate class")

// ClassScores are the precision, recall and F1 score of one class and its
// support, the number of samples whose true label is that class.
type ClassScores struct {
	Class     string // the label as fmt.Sprint prints it
	Precision float64
	Recall    float64
	F1        float64
	Support   int
}

// Scores are a precision, recall and F1 score averaged over the classes.
type Scores struct {
	Precision float64
	Recall    float64
	F1        float64
}

// Accuracy returns the fraction of samples whose predicted label equals
// the true one, as sklearn's accuracy_score.
//
// Accuracy panics if yTrue and yPred differ in length or are empty.
func Accuracy[L comparable](yTrue, yPred []L) float64 {
	checkLens("Accuracy", len(yTrue), len(yPred))
	right := 0
	for i, t := range yTrue {
		if t == yPred[i] {
			right++
		}
	}
	return float64(right) / float64(len(yTrue))
}

// Confusion is a confusion matrix: Counts[i][j] is the number of samples
// whose true label is Classes[i] and whose predicted label is Classes[j],
// as sklearn's confusion_matrix. Counts is len(Classes)×len(Classes); the
// methods panic if it is not.
//
// Per-class and averaged scores follow sklearn's
// precision_recall_fscore_support: precision is TP/(TP+FP), recall is
// TP/(TP+FN), F1 is 2PR/(P+R), and each is 0 where its denominator is 0
// (sklearn's default zero_division="warn", without the warning).
type Confusion[L cmp.Ordered] struct {
	Classes []L
	Counts  [][]int
}

// NewConfusion counts yTrue against yPred. The classes are the labels seen
// in either, sorted ascending, as sklearn's unique_labels returns them.
//
// NewConfusion panics if yTrue and yPred differ in length or are empty, or
// if a label is a floating-point NaN, which equals nothing.
func NewConfusion[L cmp.Ordered](yTrue, yPred []L) *Confusion[L] {
	return newConfusion("NewConfusion", yTrue, yPred)
}

func newConfusion[L cmp.Ordered](fn string, yTrue, yPred []L) *Confusion[L] {
	checkLens(fn, len(yTrue), len(yPred))
	seen := make(map[L]bool)
	var classes []L
	for _, labels := range [][]L{yTrue, yPred} {
		for _, l := range labels {
			if !seen[l] {
				seen[l] = true
				classes = append(classes, l)
			}
		}
	}
	slices.Sort(classes)
	c, err := count(classes, yTrue, yPred)
	if err != nil { // only a NaN label gets here
		panic(fmt.Sprintf("metrics: %s: %v", fn, err))
	}
	return c
}

// NewConfusionWith counts yTrue against yPred over the given classes, in
// their order, as confusion_matrix(yTrue, yPred, labels=classes). A class
// need not occur in the data; it then has a row and column of zeros.
// NewConfusionWith copies classes.
//
// It returns an error wrapping ErrUnknownLabel that names the sample
// (counting from 1) and the label if a label is not one of the classes,
// and one wrapping ErrDuplicateClass if a class is listed twice. It panics
// if yTrue and yPred differ in length or are empty.
func NewConfusionWith[L cmp.Ordered](yTrue, yPred, classes []L) (*Confusion[L], error) {
	checkLens("NewConfusionWith", len(yTrue), len(yPred))
	return count(slices.Clone(classes), yTrue, yPred)
}

// count builds the confusion matrix over classes, which it keeps.
func count[L cmp.Ordered](classes, yTrue, yPred []L) (*Confusion[L], error) {
	index := make(map[L]int, len(classes))
	for i, c := range classes {
		if _, dup := index[c]; dup {
			return nil, fmt.Errorf("%w %#v", ErrDuplicateClass, c)
		}
		index[c] = i
	}
	k := len(classes)
	cells := make([]int, k*k)
	counts := make([][]int, k)
	for i := range counts {
		counts[i] = cells[i*k : (i+1)*k : (i+1)*k]
	}
	for s := range yTrue {
		t, ok := index[yTrue[s]]
		if !ok {
			return nil, fmt.Errorf("%w %#v in yTrue at sample %d", ErrUnknownLabel, yTrue[s], s+1)
		}
		p, ok := index[yPred[s]]
		if !ok {
			return nil, fmt.Errorf("%w %#v in yPred at sample %d", ErrUnknownLabel, yPred[s], s+1)
		}
		counts[t][p]++
	}
	return &Confusion[L]{Classes: classes, Counts: counts}, nil
}

// PrecisionRecallF1 returns the per-class scores of yPred against yTrue,
// classes sorted ascending, and their macro average: the scores of
// NewConfusion(yTrue, yPred).PerClass() and .Macro().
//
// PrecisionRecallF1 panics if yTrue and yPred differ in length or are
// empty, or if a label is a floating-point NaN.
func PrecisionRecallF1[L cmp.Ordered](yTrue, yPred []L) (perClass []ClassScores, macro Scores) {
	c := newConfusion("PrecisionRecallF1", yTrue, yPred)
	return c.PerClass(), c.Macro()
}

// sums returns, per class, the true positives (the diagonal), the number
// of samples predicted as that class (column sums) and its support (row
// sums). It panics if Counts is not len(Classes)×len(Classes).
func (c *Confusion[L]) sums() (tp, predicted, support []int) {
	k := len(c.Classes)
	if len(c.Counts) != k {
		panic(fmt.Sprintf("metrics: Confusion has %d classes but %d rows of counts", k, len(c.Counts)))
	}
	tp, predicted, support = make([]int, k), make([]int, k), make([]int, k)
	for i, row := range c.Counts {
		if len(row) != k {
			panic(fmt.Sprintf("metrics: Confusion has %d classes but row %d of counts has %d", k, i, len(row)))
		}
		tp[i] = row[i]
		for j, n := range row {
			predicted[j] += n
			support[i] += n
		}
	}
	return tp, predicted, support
}

// Total returns the number of samples counted.
func (c *Confusion[L]) Total() int {
	_, _, support := c.sums()
	total := 0
	for _, n := range support {
		total += n
	}
	return total
}

// Accuracy returns the fraction of samples on the diagonal, or 0 if there
// are none.
func (c *Confusion[L]) Accuracy() float64 {
	tp, _, _ := c.sums()
	right := 0
	for _, n := range tp {
		right += n
	}
	return ratio(float64(right), float64(c.Total()))
}

// PerClass returns the precision, recall, F1 score and support of each
// class, in the order of Classes.
func (c *Confusion[L]) PerClass() []ClassScores {
	tp, predicted, support := c.sums()
	out := make([]ClassScores, len(c.Classes))
	for i, class := range c.Classes {
		p := ratio(float64(tp[i]), float64(predicted[i]))
		r := ratio(float64(tp[i]), float64(support[i]))
		out[i] = ClassScores{Class: fmt.Sprint(class), Precision: p, Recall: r, F1: f1(p, r), Support: support[i]}
	}
	return out
}

// Macro returns the unweighted mean over classes of the per-class
// precision, recall and F1 (sklearn's average="macro"). A class that
// occurs in neither the truth nor the predictions counts with scores of 0.
func (c *Confusion[L]) Macro() Scores {
	var sum Scores
	per := c.PerClass()
	for _, s := range per {
		sum.Precision += s.Precision
		sum.Recall += s.Recall
		sum.F1 += s.F1
	}
	n := float64(len(per))
	return Scores{ratio(sum.Precision, n), ratio(sum.Recall, n), ratio(sum.F1, n)}
}

// Weighted returns the mean over classes of the per-class precision,
// recall and F1, each class weighted by its support (sklearn's
// average="weighted"). The weighted recall equals the accuracy.
func (c *Confusion[L]) Weighted() Scores {
	var sum Scores
	total := 0
	for _, s := range c.PerClass() {
		w := float64(s.Support)
		sum.Precision += s.Precision * w
		sum.Recall += s.Recall * w
		sum.F1 += s.F1 * w
		total += s.Support
	}
	n := float64(total)
	return Scores{ratio(sum.Precision, n), ratio(sum.Recall, n), ratio(sum.F1, n)}
}

// ratio returns a/b, or 0 if b is 0: sklearn's zero_division="warn".
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// f1 returns the harmonic mean of precision p and recall r, or 0 if both
// are 0.
func f1(p, r float64) float64 { return ratio(2*p*r, p+r) }

// checkLens panics unless the two label slices have the same, non-zero
// length.
func checkLens(fn string, nTrue, nPred int) {
	if nTrue != nPred {
		panic(fmt.Sprintf("metrics: %s: yTrue has %d samples, yPred has %d", fn, nTrue, nPred))
	}
	if nTrue == 0 {
		panic(fmt.Sprintf("metrics: %s: yTrue has 0 samples, yPred has 0; want at least 1", fn))
	}
}
