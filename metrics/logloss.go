package metrics

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/nerve-ml/nerve/tensor"
)

// LogLoss returns the mean negative log-likelihood of the true classes,
// the cross-entropy −(1/n) Σᵢ log pᵢ,yᵢ, as sklearn's log_loss(yTrue,
// proba, labels=range(K)) with its default eps="auto".
//
// proba is samples×K: row i holds the predicted probabilities of classes
// 0…K−1 for sample i, and yTrue[i] is the index of its true class. A
// single column (K = 1) holds the probability of class 1 of a binary
// problem, as sklearn reads a 1-d y_pred. As in sklearn, each probability
// is first clipped to [ε, 1−ε], with ε the machine epsilon of T (2⁻²³ for
// float32, 2⁻⁵² for float64, np.finfo(dtype).eps), and then each row is
// divided by its sum, so rows need not sum to 1 and a probability of 0
// costs −log ε rather than +Inf. The arithmetic is done in float64.
//
// LogLoss panics if len(yTrue) is not proba.Rows(), if there are no
// samples or no columns, or if a class index is outside [0, K) (outside
// [0, 2) when K = 1).
func LogLoss[T tensor.Float](yTrue []int, proba *tensor.Dense[T]) float64 {
	n, k := proba.Dims()
	if len(yTrue) != n {
		panic(fmt.Sprintf("metrics: LogLoss: yTrue has %d samples, proba has %d rows", len(yTrue), n))
	}
	if n == 0 {
		panic("metrics: LogLoss: yTrue has 0 samples, proba has 0 rows; want at least 1")
	}
	if k == 0 {
		panic(fmt.Sprintf("metrics: LogLoss: proba is %s; want at least 1 column", proba.Shape()))
	}
	eps := epsilon[T]()
	clip := func(p T) float64 { return min(max(float64(p), eps), 1-eps) }
	classes := max(k, 2)

	var sum float64
	for i, y := range yTrue {
		if y < 0 || y >= classes {
			panic(fmt.Sprintf("metrics: LogLoss: yTrue[%d] is %d; want a class index in [0, %d)", i, y, classes))
		}
		row := proba.Row(i)
		var p, total float64
		if k == 1 {
			one := clip(row[0])
			zero := 1 - one
			p, total = zero, zero+one
			if y == 1 {
				p = one
			}
		} else {
			for _, q := range row {
				total += clip(q)
			}
			p = clip(row[y])
		}
		sum -= math.Log(p / total)
	}
	return sum / float64(n)
}

// epsilon returns the machine epsilon of T: the gap between 1 and the next
// larger value.
func epsilon[T tensor.Float]() float64 {
	var zero T
	if unsafe.Sizeof(zero) == 4 {
		return 0x1p-23
	}
	return 0x1p-52
}
