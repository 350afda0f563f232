package nn

import (
	"fmt"
	"strings"

	"github.com/nerve-ml/nerve/tensor"
)

// Summary returns a table of the network's layers, one row per layer
// (index from 1, type, shape of W, whether it has b, activation, number
// of parameters), followed by the totals and the loss:
//
//	layer  type   W        b    activation  params
//	1      dense  (4, 16)  yes  relu            80
//	2      dense  (16, 3)  yes  softmax         51
//	parameters: 131 (524 bytes as float32)
//	loss: cross-entropy, mean over the batch
//
// It does not validate the network, but needs every layer's W.
func (n *Network[T]) Summary() string {
	rows := [][]string{{"layer", "type", "W", "b", "activation", "params"}}
	for i, l := range n.Layers {
		b, p := "no", l.Inputs()*l.Outputs()
		if l.B != nil {
			b, p = "yes", p+l.Outputs()
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), "dense", l.W.Shape(), b, l.Activation.String(), fmt.Sprint(p)})
	}
	var sb strings.Builder
	table(&sb, rows)
	dt, size := tensor.DType[T]()
	fmt.Fprintf(&sb, "parameters: %d (%d bytes as %s)\n", n.NumParams(), n.NumParams()*size, dt)
	fmt.Fprintf(&sb, "loss: %s, %s over the batch\n", n.Loss, n.Reduction)
	return sb.String()
}

// table writes rows as aligned columns two spaces apart: text columns
// left-aligned, the last (a number) right-aligned.
func table(sb *strings.Builder, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for j, c := range r {
			width[j] = max(width[j], len([]rune(c)))
		}
	}
	last := len(width) - 1
	for _, r := range rows {
		for j, c := range r {
			pad := strings.Repeat(" ", width[j]-len([]rune(c)))
			if j == last {
				sb.WriteString(pad + c + "\n")
			} else {
				sb.WriteString(c + pad + "  ")
			}
		}
	}
}
