package data

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/nerve-ml/nerve/tensor"
)

// Label is the type of a class label: an integer or a string.
type Label interface {
	~int | ~string
}

// Classes maps class labels to output units and back: label Labels()[k]
// is unit k, and its one-hot row has a 1 in column k. Build it with
// NewClasses. A Classes is read-only after construction, so it is safe
// for concurrent use.
type Classes[L Label] struct {
	labels []L
	index  map[L]int
}

// NewClasses returns the distinct labels of y in sorted order (as numpy's
// unique does). String labels that all read as integers ("2", "10") sort
// by their value. It returns an error wrapping ErrData if y holds fewer
// than two distinct labels: there is nothing to classify.
func NewClasses[L Label](y []L) (*Classes[L], error) {
	seen := map[L]bool{}
	var labels []L
	for _, l := range y {
		if !seen[l] {
			seen[l] = true
			labels = append(labels, l)
		}
	}
	if len(labels) < 2 {
		if len(labels) == 1 {
			return nil, fmt.Errorf("%w: every target is %v: need at least two classes", ErrData, labels[0])
		}
		return nil, fmt.Errorf("%w: no targets", ErrData)
	}
	sortLabels(labels)
	return ClassesOf(labels)
}

// ClassesOf returns a Classes with exactly the given labels, in the given
// order (unit k is labels[k]), for restoring a saved model. It returns an
// error wrapping ErrData if a label repeats or there are fewer than two.
func ClassesOf[L Label](labels []L) (*Classes[L], error) {
	if len(labels) < 2 {
		return nil, fmt.Errorf("%w: %d classes, want at least 2", ErrData, len(labels))
	}
	c := &Classes[L]{labels: slices.Clone(labels), index: make(map[L]int, len(labels))}
	for k, l := range labels {
		if _, dup := c.index[l]; dup {
			return nil, fmt.Errorf("%w: class %v appears twice", ErrData, l)
		}
		c.index[l] = k
	}
	return c, nil
}

func sortLabels[L Label](labels []L) {
	if ss, ok := any(labels).([]string); ok {
		nums := make([]int64, len(ss))
		allInts := true
		for i, s := range ss {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				allInts = false
				break
			}
			nums[i] = v
		}
		if allInts {
			order := make([]int, len(ss))
			for i := range order {
				order[i] = i
			}
			slices.SortFunc(order, func(a, b int) int { return cmp.Compare(nums[a], nums[b]) })
			sorted := make([]string, len(ss))
			for i, o := range order {
				sorted[i] = ss[o]
			}
			copy(ss, sorted)
			return
		}
	}
	slices.Sort(labels)
}

// Len returns the number of classes.
func (c *Classes[L]) Len() int { return len(c.labels) }

// Labels returns the class labels in unit order. The caller must not
// modify the slice.
func (c *Classes[L]) Labels() []L { return c.labels }

// Index returns the unit of label l, and false if l is not a class.
func (c *Classes[L]) Index(l L) (int, bool) {
	k, ok := c.index[l]
	return k, ok
}

// Encode returns the unit of every label in y. It returns an error
// wrapping ErrData that names the first sample whose label is not a
// class.
func (c *Classes[L]) Encode(y []L) ([]int, error) {
	idx := make([]int, len(y))
	for i, l := range y {
		k, ok := c.index[l]
		if !ok {
			return nil, fmt.Errorf("%w: sample %d has label %q, which is not one of the %d classes seen in training", ErrData, i+1, fmt.Sprint(l), len(c.labels))
		}
		idx[i] = k
	}
	return idx, nil
}

// Decode returns the label of every unit in idx. It panics if a unit is
// out of range.
func (c *Classes[L]) Decode(idx []int) []L {
	y := make([]L, len(idx))
	for i, k := range idx {
		y[i] = c.labels[k]
	}
	return y
}

// OneHot returns a len(idx)×k matrix whose row i is 1 in column idx[i]
// and 0 elsewhere. It panics if an index is outside [0, k).
func OneHot[T tensor.Float](idx []int, k int) *tensor.Dense[T] {
	m := tensor.Zeros[T](len(idx), k)
	for i, j := range idx {
		if j < 0 || j >= k {
			panic(fmt.Sprintf("data: OneHot: index %d of sample %d is outside [0, %d)", j, i, k))
		}
		m.Set(i, j, 1)
	}
	return m
}

// Argmax returns, for every row of m, the column of its largest value
// (the first one on ties): the predicted unit of each sample.
func Argmax[T tensor.Float](m *tensor.Dense[T]) []int {
	idx := make([]int, m.Rows())
	for i := range idx {
		row := m.Row(i)
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		idx[i] = best
	}
	return idx
}
