// Package trace lays out one training iteration of a network, step by
// step, as data: every matrix the forward pass, the backward pass and the
// update compute, with its shape, the names the classic numpy tutorials
// gave it, the Go code in nerve that computes it, and, for each result,
// the matrices and cells it was computed from.
//
// The steps are those of the Analytics Vidhya tutorial ("Understanding and
// coding neural networks from scratch"), generalised to any depth:
//
//	 0  read X and y
//	 1  initialise W and b   (every layer)
//	 2  hidden layer input   Z = X·W + b        hidden_layer_input
//	 3  hidden activation    A = f(Z)           hiddenlayer_activations
//	 4  output layer         Z, output = f(Z)   output_layer_input, output
//	 5  error                E = y − output     E
//	 6  slopes               f′(Z) per layer    slope_output_layer, slope_hidden_layer
//	 7  output delta         d = E ⊙ slope      d_output
//	 8  error at hidden      d·W_outᵀ           Error_at_hidden_layer
//	 9  hidden delta         Error ⊙ slope      d_hiddenlayer
//	10  weight updates       W += A_prevᵀ·d·lr  wout, wh
//	11  bias updates         b += Σ d·lr        bout, bh
//
// A network with more hidden layers repeats steps 2–3 for each hidden
// layer on the way up and 8–9 on the way down; one without biases has no
// step 11. Steps are numbered in order from 0, and each remembers which
// of the steps above it repeats (Step.Tutorial).
//
// The numbers are nerve's own: New runs (*nn.Network).Forward and
// Backward, takes the slopes from activation.Slope and the new weights
// from (*nn.Network).Update, and only changes signs. The tutorials write
// the error as E = y − output and add their deltas (W += A_prevᵀ·d·lr);
// nerve computes the gradient of the loss, dZ = −d, and subtracts it
// (W −= lr·A_prevᵀ·dZ). For the half sum of squared errors summed over the
// batch, the loss these tutorials descend, both give the same bits.
//
// A Trace renders as aligned text for a terminal (WriteText), as Markdown
// (WriteMarkdown) and as a self-contained HTML page (WriteHTML) that
// highlights, in every step, one result cell and marks the cells it was
// computed from, like the spreadsheet pictures of the original tutorial.
package trace
