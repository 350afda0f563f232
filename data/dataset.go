package data

import (
	"errors"
	"fmt"

	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// ErrData is wrapped by every error about the contents of a dataset: a
// label that was never seen, a feature count that differs, a split that
// leaves a side empty.
var ErrData = errors.New("invalid data")

// Dataset is a table of samples. X holds the features, one row a sample.
// A classification dataset has one label per sample in Labels; a
// regression dataset has numeric targets in Y (samples×outputs). At most
// one of Labels and Y is set; neither for data to predict on.
//
// A dataset loaded for float32 training (CSVOptions.Float32,
// IDXOptions.Float32) holds its features in X32 instead, and X is nil:
// the table is stored once, at half the size. Float32 and Float64 return
// the features in either precision whichever field holds them; the
// functions of this package that take a Dataset read X unless their
// documentation says otherwise.
type Dataset struct {
	Name     string                 // where the data came from, for messages
	Features []string               // feature names, one per column of X; may be nil
	Target   string                 // name of the target column; may be empty
	X        *tensor.Dense[float64] // samples×features, or nil when X32 holds them
	X32      *tensor.Dense[float32] // samples×features in float32, or nil when X holds them
	Labels   []string               // class label per sample, or nil
	Y        *tensor.Dense[float64] // samples×outputs regression targets, or nil
}

// Len returns the number of samples.
func (d *Dataset) Len() int {
	if d.X == nil && d.X32 != nil {
		return d.X32.Rows()
	}
	return d.X.Rows()
}

// Cols returns the number of features: the columns of X or X32.
func (d *Dataset) Cols() int {
	if d.X == nil && d.X32 != nil {
		return d.X32.Cols()
	}
	return d.X.Cols()
}

// Float32 returns the features in float32: X32 itself when it is set,
// else a float32 copy of X.
func (d *Dataset) Float32() *tensor.Dense[float32] {
	if d.X32 != nil {
		return d.X32
	}
	return tensor.Convert[float32](d.X)
}

// Float64 returns the features in float64: X itself when it is set,
// else a float64 copy of X32 (which holds each value exactly).
func (d *Dataset) Float64() *tensor.Dense[float64] {
	if d.X != nil {
		return d.X
	}
	return tensor.Convert[float64](d.X32)
}

// Classification reports whether the targets are class labels.
func (d *Dataset) Classification() bool { return d.Labels != nil }

// Subset returns the samples idx, in that order, as a new dataset that
// shares nothing with d. It panics if an index is out of range.
func (d *Dataset) Subset(idx []int) *Dataset {
	s := &Dataset{Name: d.Name, Features: d.Features, Target: d.Target}
	if d.X != nil {
		s.X = takeRows(d.X, idx)
	}
	if d.X32 != nil {
		s.X32 = takeRows(d.X32, idx)
	}
	if d.Y != nil {
		s.Y = takeRows(d.Y, idx)
	}
	if d.Labels != nil {
		s.Labels = make([]string, len(idx))
		for i, j := range idx {
			s.Labels[i] = d.Labels[j]
		}
	}
	return s
}

func takeRows[T tensor.Float](m *tensor.Dense[T], idx []int) *tensor.Dense[T] {
	out := tensor.Zeros[T](len(idx), m.Cols())
	for i, j := range idx {
		copy(out.Row(i), m.Row(j))
	}
	return out
}

// Split divides d into a training and a test set, with a fraction
// testFraction (0 < testFraction < 1) of the samples in the test set,
// drawn with a permutation from seed. A classification dataset is split
// per class (stratified), so both sides keep the class proportions: each
// class puts round(testFraction·n) of its n samples in the test set.
// Samples keep their original order on each side. Split returns an error
// wrapping ErrData if either side would be empty.
func (d *Dataset) Split(testFraction float64, seed uint32) (train, test *Dataset, err error) {
	if !(testFraction > 0 && testFraction < 1) {
		return nil, nil, fmt.Errorf("%w: test fraction %v, want between 0 and 1", ErrData, testFraction)
	}
	var isTest []bool
	if d.Labels != nil {
		class := make([]int, d.Len())
		ids := map[string]int{}
		for i, l := range d.Labels {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			class[i] = id
		}
		isTest = Stratify(class, testFraction, rng.New(seed))
	} else {
		isTest = make([]bool, d.Len())
		k := roundHalfEven(testFraction * float64(d.Len()))
		for _, p := range rng.New(seed).Perm(d.Len())[:k] {
			isTest[p] = true
		}
	}
	var tr, te []int
	for i, t := range isTest {
		if t {
			te = append(te, i)
		} else {
			tr = append(tr, i)
		}
	}
	if len(tr) == 0 || len(te) == 0 {
		return nil, nil, fmt.Errorf("%w: splitting %d samples with test fraction %v leaves %d for training and %d for testing", ErrData, d.Len(), testFraction, len(tr), len(te))
	}
	return d.Subset(tr), d.Subset(te), nil
}

// Stratify chooses a held-out part of the samples that keeps the class
// proportions: of the samples whose class[i] is c, it holds out
// round(fraction·count(c)) (half to even), picked by a permutation from
// src, class by class in order of first appearance. held[i] reports
// whether sample i is held out. Dataset.Split splits classification data
// with it, and train.Fit a classifier's validation data.
func Stratify(class []int, fraction float64, src *rng.Source) (held []bool) {
	var order []int
	members := map[int][]int{}
	for i, c := range class {
		if _, ok := members[c]; !ok {
			order = append(order, c)
		}
		members[c] = append(members[c], i)
	}
	held = make([]bool, len(class))
	for _, c := range order {
		m := members[c]
		k := roundHalfEven(fraction * float64(len(m)))
		for _, p := range src.Perm(len(m))[:k] {
			held[m[p]] = true
		}
	}
	return held
}

func roundHalfEven(x float64) int {
	f := int(x)
	switch r := x - float64(f); {
	case r > 0.5:
		return f + 1
	case r == 0.5 && f%2 == 1:
		return f + 1
	}
	return f
}
