// Package metrics scores a model's predictions against the truth: accuracy,
// confusion matrices with per-class precision, recall and F1, log loss,
// and the regression scores MSE, MAE and R².
//
// Every function follows scikit-learn 1.2 (sklearn.metrics) with its
// default arguments, so a number printed by a nerve program can be checked
// against the Python one. In particular:
//
//   - Classes are the sorted union of the labels in yTrue and yPred, as
//     sklearn's unique_labels gives them, unless NewConfusionWith is given
//     an order.
//   - A precision, recall or F1 whose denominator is zero is 0, as with
//     sklearn's zero_division="warn" (without the warning).
//   - LogLoss clips probabilities to [ε, 1−ε] with ε the machine epsilon of
//     the matrix's element type (eps="auto") and renormalises each row.
//   - Multi-output regression scores are the unweighted mean over outputs
//     (multioutput="uniform_average"), and R² of a constant target is 1
//     for a perfect prediction and 0 otherwise (force_finite=True).
//
// All arithmetic is done in float64, whatever the element type, and the
// result is a float64. Inputs are never modified.
//
// Mismatched lengths or shapes and empty inputs are programmer errors:
// the functions panic with a message that names both sizes, e.g.
//
//	metrics: Accuracy: yTrue has 5 samples, yPred has 4
//
// Labels that data can get wrong (a label missing from a given class list)
// are reported as errors wrapping ErrUnknownLabel.
package metrics
