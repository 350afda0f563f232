// Package tensor provides dense, row-major matrices of float32 or float64:
// the values every layer, activation and loss in nerve passes around.
//
// A Dense[T] is rows×cols. Samples are rows: a batch X is samples×features
// and a weight matrix W is inputs×outputs, as in the numpy tutorials nerve
// grew out of, so X·W is a batch of pre-activations.
//
// Operations follow gonum's convention: the receiver (or the dst argument)
// is the only matrix an operation writes, and inputs are never modified.
// Element-wise operations may use an input as the receiver (dst.Add(dst, b)
// is fine); MatMul may not, because each output element reads a whole row
// and column of its inputs.
//
// Shape mismatches are programmer errors once data has been validated at
// the API that accepted it, so the operations here panic with a message
// that names both shapes, e.g.
//
//	tensor: MatMul: op(a) is (3, 4) but op(b) is (5, 1)
package tensor
