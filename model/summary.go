package model

import (
	"fmt"
	"slices"
	"strings"
)

// Summary returns the network's Summary followed by what the model says
// about its data: task, classes, features, target, the preprocessing of
// raw columns (one line per column) or whether inputs are scaled, whether
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
	if m.Preprocessing != nil {
		sb.WriteString("preprocessing (raw columns → inputs):\n")
		for _, line := range strings.SplitAfter(m.Preprocessing.String(), "\n") {
			if line != "" {
				sb.WriteString("  " + line)
			}
		}
	} else {
		fmt.Fprintf(&sb, "input scaling: %s\n", yesNo(m.Scaler != nil))
	}
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
