package data

import (
	"cmp"
	"fmt"
	"slices"
)

// ColumnSummary describes one column of a table, as Describe finds it.
type ColumnSummary struct {
	Name     string
	Type     ColumnType // detected or asked for
	Missing  int        // missing cells
	Distinct int        // distinct non-missing values
	// Numeric columns: the smallest, mean and largest non-missing value.
	Min, Mean, Max float64
	// Categorical columns: up to five most frequent categories, most
	// frequent first (ties in byte order).
	Top []CategoryCount
	// Identifier is true for a column that looks like a row identifier
	// (see FitPreprocessing).
	Identifier bool
	// Action says what FitPreprocessing does with the column:
	// "target: classification" or "target: regression", "standardise",
	// "one-hot" (with what a missing cell becomes, when the column has
	// any: MissingCategory or the most frequent category), "drop: …",
	// or "error: …" for a column it refuses.
	Action string
}

// CategoryCount is a category and the number of cells that hold it.
type CategoryCount struct {
	Value string
	Count int
}

// Describe returns one summary per column of t, in order, as
// FitPreprocessing with opt would see them. A column FitPreprocessing
// would refuse is described too, with the reason in Action. Describe
// returns an error only for options that name columns t lacks, and for
// an unknown task.
func Describe(t *Table, opt PrepOptions) ([]ColumnSummary, error) {
	pl, err := makePlan(t, &opt)
	if err != nil {
		return nil, err
	}
	out := make([]ColumnSummary, len(t.Columns))
	for j := range t.Columns {
		cp := profile(t, j, pl.force[j], opt.NA)
		s := &out[j]
		s.Name, s.Type, s.Missing, s.Distinct = t.Columns[j], cp.typ, cp.missing, len(cp.counts)
		if cp.typ == Numeric && len(cp.values) > 0 {
			s.Min, s.Max = slices.Min(cp.values), slices.Max(cp.values)
			for _, v := range cp.values {
				s.Mean += v
			}
			s.Mean /= float64(len(cp.values))
		}
		if cp.typ == Categorical {
			s.Top = topCategories(cp.counts, 5)
		}
		s.Identifier = cp.identifier(len(t.Rows))
		switch {
		case j == pl.target:
			task, err := fitTarget(t, j, opt.Task, opt.NA)
			s.Action = "target: " + task.String()
			if err != nil {
				s.Action = "error: " + err.(*ParseError).Err.Error()
			}
		case !pl.use[j]:
			s.Action = "drop: " + pl.why[j]
		default:
			s.Action = featureAction(t, cp)
		}
	}
	return out, nil
}

// featureAction says what FitPreprocessing does with the feature column
// of cp.
func featureAction(t *Table, cp *colProfile) string {
	if err := cp.check(t); err != nil {
		return "error: " + err.(*ParseError).Err.Error()
	}
	if len(cp.counts) == 1 && cp.missing == 0 {
		return "drop: constant"
	}
	a := "standardise"
	if cp.typ == Categorical {
		c := cp.fit(t)
		a = fmt.Sprintf("one-hot (%d inputs)", c.width())
		if cp.missing > 0 {
			a += ", " + c.missingAction()
		}
	} else if cp.missing > 0 {
		a = "fill with the median, standardise"
	}
	if cp.identifier(len(t.Rows)) {
		a += "; looks like an identifier: drop it?"
	}
	return a
}

// topCategories returns up to n of the most frequent values of counts.
func topCategories(counts map[string]int, n int) []CategoryCount {
	all := make([]CategoryCount, 0, len(counts))
	for v, c := range counts {
		all = append(all, CategoryCount{v, c})
	}
	slices.SortFunc(all, func(a, b CategoryCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return all[:min(n, len(all))]
}
