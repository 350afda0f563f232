package metrics

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// String returns the matrix as an aligned plain-text table: a header row
// of predicted labels, then one row per true label, e.g.
//
//	true\pred  bird  cat  dog
//	     bird     1    0    1
//	      cat     1    2    0
//	      dog     0    1    1
//
// Each column is as wide as its label or its largest count.
//
// Counts is expected to be len(Classes)×len(Classes); String panics if it
// is not.
func (c *Confusion[L]) String() string {
	c.sums() // check the shape
	const corner = `true\pred`
	names := make([]string, len(c.Classes))
	rowWidth := len(corner)
	colWidth := make([]int, len(c.Classes))
	for j, class := range c.Classes {
		names[j] = fmt.Sprint(class)
		rowWidth = max(rowWidth, utf8.RuneCountInString(names[j]))
		colWidth[j] = utf8.RuneCountInString(names[j])
		for i := range c.Counts {
			colWidth[j] = max(colWidth[j], len(fmt.Sprint(c.Counts[i][j])))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%*s", rowWidth, corner)
	for j, name := range names {
		fmt.Fprintf(&b, "  %*s", colWidth[j], name)
	}
	b.WriteByte('\n')
	for i, row := range c.Counts {
		fmt.Fprintf(&b, "%*s", rowWidth, names[i])
		for j, n := range row {
			fmt.Fprintf(&b, "  %*d", colWidth[j], n)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Report returns a text report of the per-class and averaged scores laid
// out exactly as sklearn's classification_report(yTrue, yPred,
// labels=Classes) prints them with its default two digits: a row per
// class, then the accuracy, macro average and weighted average rows.
//
// As in sklearn, the accuracy row is headed "micro avg" and shows the
// micro-averaged precision, recall and F1 when a class occurs in neither
// the truth nor the predictions, which only NewConfusionWith can give.
// Report panics if Counts is not len(Classes)×len(Classes).
func (c *Confusion[L]) Report() string {
	const row = "%*s  %9.2f %9.2f %9.2f %9d\n"
	per := c.PerClass()
	tp, predicted, support := c.sums()
	width := len("weighted avg")
	for _, s := range per {
		width = max(width, utf8.RuneCountInString(s.Class))
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score", "support")
	for _, s := range per {
		fmt.Fprintf(&b, row, width, s.Class, s.Precision, s.Recall, s.F1, s.Support)
	}
	b.WriteByte('\n')

	// Every sample is counted in some column, so the micro-averaged
	// precision and recall are both the accuracy.
	acc, total := c.Accuracy(), c.Total()
	allSeen := true
	for i := range tp {
		allSeen = allSeen && predicted[i]+support[i] > 0
	}
	if allSeen {
		fmt.Fprintf(&b, "%*s  %9s %9s %9.2f %9d\n", width, "accuracy", "", "", f1(acc, acc), total)
	} else {
		fmt.Fprintf(&b, row, width, "micro avg", acc, acc, f1(acc, acc), total)
	}
	m, w := c.Macro(), c.Weighted()
	fmt.Fprintf(&b, row, width, "macro avg", m.Precision, m.Recall, m.F1, total)
	fmt.Fprintf(&b, row, width, "weighted avg", w.Precision, w.Recall, w.F1, total)
	return b.String()
}
