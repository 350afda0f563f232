package metrics

import (
	"fmt"
	"math"

	"github.com/nerve-ml/nerve/tensor"
)

// MSE returns the mean squared error (1/n) Σᵢ (yTrueᵢ − yPredᵢ)², as
// sklearn's mean_squared_error.
//
// MSE panics if yTrue and yPred differ in length or are empty.
func MSE(yTrue, yPred []float64) float64 {
	checkLens("MSE", len(yTrue), len(yPred))
	return MSEDense(column(yTrue), column(yPred))
}

// MAE returns the mean absolute error (1/n) Σᵢ |yTrueᵢ − yPredᵢ|, as
// sklearn's mean_absolute_error.
//
// MAE panics if yTrue and yPred differ in length or are empty.
func MAE(yTrue, yPred []float64) float64 {
	checkLens("MAE", len(yTrue), len(yPred))
	return MAEDense(column(yTrue), column(yPred))
}

// R2 returns the coefficient of determination 1 − SSres/SStot, where
// SSres = Σᵢ (yTrueᵢ − yPredᵢ)² and SStot = Σᵢ (yTrueᵢ − ȳ)², as sklearn's
// r2_score. It is 1 for a perfect prediction and 0 for always predicting
// the mean, and negative for worse. For a constant yTrue (SStot = 0) it
// is 1 if the prediction is perfect and 0 otherwise, sklearn's
// force_finite=True. With a single sample R2 is not defined and is NaN, as
// sklearn returns.
//
// R2 panics if yTrue and yPred differ in length or are empty.
func R2(yTrue, yPred []float64) float64 {
	checkLens("R2", len(yTrue), len(yPred))
	return R2Dense(column(yTrue), column(yPred))
}

// MSEDense returns the mean squared error of a samples×outputs prediction:
// MSE of each output column, then averaged over the outputs, as sklearn's
// mean_squared_error with multioutput="uniform_average". The arithmetic is
// done in float64.
//
// MSEDense panics if the shapes differ or have no samples or no outputs.
func MSEDense[T tensor.Float](yTrue, yPred *tensor.Dense[T]) float64 {
	n, k := checkShapes("MSEDense", yTrue, yPred)
	sq := make([]float64, k)
	for i := range n {
		t := yTrue.Row(i)
		for j, p := range yPred.Row(i) {
			d := float64(t[j]) - float64(p)
			sq[j] += d * d
		}
	}
	var sum float64
	for _, s := range sq {
		sum += s / float64(n)
	}
	return sum / float64(k)
}

// MAEDense returns the mean absolute error of a samples×outputs
// prediction, averaged over the outputs, as sklearn's mean_absolute_error
// with multioutput="uniform_average". The arithmetic is done in float64.
//
// MAEDense panics if the shapes differ or have no samples or no outputs.
func MAEDense[T tensor.Float](yTrue, yPred *tensor.Dense[T]) float64 {
	n, k := checkShapes("MAEDense", yTrue, yPred)
	abs := make([]float64, k)
	for i := range n {
		t := yTrue.Row(i)
		for j, p := range yPred.Row(i) {
			abs[j] += math.Abs(float64(p) - float64(t[j]))
		}
	}
	var sum float64
	for _, a := range abs {
		sum += a / float64(n)
	}
	return sum / float64(k)
}

// R2Dense returns the R² score (see R2) of each output column of a
// samples×outputs prediction, averaged over the outputs, as sklearn's
// r2_score with multioutput="uniform_average": a constant output column
// scores 1 if predicted perfectly and 0 otherwise. With a single sample it
// returns NaN. The arithmetic is done in float64.
//
// R2Dense panics if the shapes differ or have no samples or no outputs.
func R2Dense[T tensor.Float](yTrue, yPred *tensor.Dense[T]) float64 {
	n, k := checkShapes("R2Dense", yTrue, yPred)
	if n < 2 {
		return math.NaN()
	}
	mean := make([]float64, k)
	for i := range n {
		for j, t := range yTrue.Row(i) {
			mean[j] += float64(t)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	res, tot := make([]float64, k), make([]float64, k)
	for i := range n {
		p := yPred.Row(i)
		for j, t := range yTrue.Row(i) {
			d := float64(t) - float64(p[j])
			res[j] += d * d
			d = float64(t) - mean[j]
			tot[j] += d * d
		}
	}
	var sum float64
	for j := range k {
		switch {
		case res[j] == 0:
			sum++ // perfect, even for a constant target
		case tot[j] == 0:
			// a constant target predicted imperfectly scores 0
		default:
			sum += 1 - res[j]/tot[j]
		}
	}
	return sum / float64(k)
}

// column returns v as an n×1 matrix sharing its storage.
func column(v []float64) *tensor.Dense[float64] { return tensor.New(len(v), 1, v) }

// checkShapes panics unless yTrue and yPred have the same shape with at
// least one sample and one output, and returns it.
func checkShapes[T tensor.Float](fn string, yTrue, yPred *tensor.Dense[T]) (n, k int) {
	n, k = yTrue.Dims()
	if pn, pk := yPred.Dims(); pn != n || pk != k {
		panic(fmt.Sprintf("metrics: %s: yTrue is %s, yPred is %s", fn, yTrue.Shape(), yPred.Shape()))
	}
	if n == 0 || k == 0 {
		panic(fmt.Sprintf("metrics: %s: yTrue is %s, yPred is %s; want at least 1 sample and 1 output", fn, yTrue.Shape(), yPred.Shape()))
	}
	return n, k
}
