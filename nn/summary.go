package nn

import (
	"fmt"
	"slices"
	"strings"
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
	dt, size := dtypeOf[T]()
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

// Summary returns the network's Summary followed by what the model says
// about its data: task, classes, features, target, whether inputs and
// targets are scaled, and the metrics in name order.
func (m *Model[T]) Summary() string {
	var sb strings.Builder
	if m.Network != nil {
		sb.WriteString(m.Network.Summary())
	}
	task := m.Task
	if task == "" {
		task = "unspecified"
	}
	fmt.Fprintf(&sb, "task: %s\n", task)
	if m.Classes != nil {
		fmt.Fprintf(&sb, "classes: %d (%s)\n", len(m.Classes), list(m.Classes))
	}
	if m.Features != nil {
		fmt.Fprintf(&sb, "features: %d (%s)\n", len(m.Features), list(m.Features))
	} else if m.Network != nil && len(m.Network.Layers) > 0 && m.Network.Layers[0].W != nil {
		fmt.Fprintf(&sb, "features: %d (unnamed)\n", m.Network.Inputs())
	}
	if m.Target != "" {
		fmt.Fprintf(&sb, "target: %s\n", m.Target)
	}
	fmt.Fprintf(&sb, "input scaling: %s\n", yesNo(m.Scaler != nil))
	if m.Task != Classification {
		fmt.Fprintf(&sb, "target scaling: %s\n", yesNo(m.TargetScaler != nil))
	}
	if len(m.Metrics) > 0 {
		sb.WriteString("metrics:\n")
		names := make([]string, 0, len(m.Metrics))
		for k := range m.Metrics {
			names = append(names, k)
		}
		slices.Sort(names)
		w := 0
		for _, k := range names {
			w = max(w, len([]rune(k)))
		}
		for _, k := range names {
			fmt.Fprintf(&sb, "  %s%s  %.6g\n", k, strings.Repeat(" ", w-len([]rune(k))), m.Metrics[k])
		}
	}
	return sb.String()
}

// list joins names with ", ", keeping the first 8 of a longer list.
func list(names []string) string {
	const keep = 8
	if len(names) <= keep {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:keep], ", ") + fmt.Sprintf(", … %d more", len(names)-keep)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
