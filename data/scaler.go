package data

import (
	"fmt"
	"math"

	"github.com/nerve-ml/nerve/tensor"
)

// Scaler standardises features: x′ = (x − Mean) / Scale, column by column,
// as scikit-learn's StandardScaler does. Scale is the population standard
// deviation (ddof = 0), or 1 for a constant column so that it maps to 0.
type Scaler struct {
	Mean  []float64 `json:"mean"`
	Scale []float64 `json:"scale"`
}

// FitScaler computes the mean and standard deviation of every column of X,
// in float64 whatever X's precision. It returns an error wrapping ErrData
// if X has no rows or holds a value that is not finite.
func FitScaler[T tensor.Float](X *tensor.Dense[T]) (*Scaler, error) {
	n, d := X.Dims()
	if n == 0 {
		return nil, fmt.Errorf("%w: no samples to compute scaling from", ErrData)
	}
	s := &Scaler{Mean: make([]float64, d), Scale: make([]float64, d)}
	for i := range n {
		for j, x := range X.Row(i) {
			v := float64(x)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: sample %d, feature %d is %v", ErrData, i+1, j+1, v)
			}
			s.Mean[j] += v
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(n)
	}
	for i := range n {
		for j, v := range X.Row(i) {
			dv := float64(v) - s.Mean[j]
			s.Scale[j] += dv * dv
		}
	}
	for j := range s.Scale {
		s.Scale[j] = math.Sqrt(s.Scale[j] / float64(n))
		if s.Scale[j] == 0 {
			s.Scale[j] = 1
		}
	}
	return s, nil
}

// Features returns the number of columns the scaler was fitted on.
func (s *Scaler) Features() int { return len(s.Mean) }

// Validate returns an error wrapping ErrData if Mean and Scale differ in
// length or a Scale is not a positive finite number.
func (s *Scaler) Validate() error {
	if len(s.Mean) != len(s.Scale) {
		return fmt.Errorf("%w: scaler has %d means but %d scales", ErrData, len(s.Mean), len(s.Scale))
	}
	for j := range s.Mean {
		if math.IsNaN(s.Mean[j]) || math.IsInf(s.Mean[j], 0) {
			return fmt.Errorf("%w: scaler mean of feature %d is %v", ErrData, j+1, s.Mean[j])
		}
		if !(s.Scale[j] > 0) || math.IsInf(s.Scale[j], 0) {
			return fmt.Errorf("%w: scaler scale of feature %d is %v, want a positive number", ErrData, j+1, s.Scale[j])
		}
	}
	return nil
}

// Transform returns the standardised copy of X, converted to T (computed
// in float64 from X of either precision). X is not modified. It returns
// an error wrapping ErrData if X does not have one column per fitted
// feature.
func Transform[T, S tensor.Float](s *Scaler, X *tensor.Dense[S]) (*tensor.Dense[T], error) {
	n, d := X.Dims()
	if d != len(s.Mean) {
		return nil, fmt.Errorf("%w: data has %d features, the scaler was fitted on %d", ErrData, d, len(s.Mean))
	}
	out := tensor.Zeros[T](n, d)
	for i := range n {
		o := out.Row(i)
		for j, v := range X.Row(i) {
			o[j] = T((float64(v) - s.Mean[j]) / s.Scale[j])
		}
	}
	return out, nil
}

// Inverse maps standardised values back: x = x′·Scale + Mean. X is not
// modified; it must have one column per fitted feature, or Inverse
// returns an error wrapping ErrData.
func Inverse[T tensor.Float](s *Scaler, X *tensor.Dense[T]) (*tensor.Dense[float64], error) {
	n, d := X.Dims()
	if d != len(s.Mean) {
		return nil, fmt.Errorf("%w: data has %d columns, the scaler was fitted on %d", ErrData, d, len(s.Mean))
	}
	out := tensor.Zeros[float64](n, d)
	for i := range n {
		o := out.Row(i)
		for j, v := range X.Row(i) {
			o[j] = float64(v)*s.Scale[j] + s.Mean[j]
		}
	}
	return out, nil
}
