package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/nerve-ml/nerve/data"
)

// describeConfig is what the describe command line says.
type describeConfig struct {
	columnFlags
	target, task string
	json         bool
}

func (c *describeConfig) flags(f *flagSet) {
	f.String(&c.target, "target", "the target `COLUMN` (default: the last column; none: describe every column as a feature)")
	f.Var(choiceValue{&c.task, []string{"auto", "classification", "regression"}}, "task", "`auto|classification|regression`, as for train")
	c.defineColumns(f)
	f.Bool(&c.json, "json", "print one JSON object per column instead of the table")
}

func describeAbout(w io.Writer) {
	fmt.Fprint(w, `Describe reads a CSV table (with a header line) and prints one row per
column: the type train detects (numeric or categorical), the number of
missing cells (empty, NA, N/A, NaN, null, ?, and --na tokens) and of
distinct values, min/mean/max of a numeric column or the most frequent
categories, and what train will do with it: standardise it, fill its
missing cells with the median, one-hot encode it, drop it, or refuse it
and why. Look before you train: the column flags are train's, so
describe shows what the same train command line would do.

"nerve inspect FILE.csv" describes a table with the default flags.

Examples:

	nerve describe titanic.csv --target survived
	nerve describe titanic.csv --target survived --drop name --categorical class --na -
`)
}

func (c *describeConfig) run(_ context.Context, pos []string, stdout, _ io.Writer) error {
	if len(pos) != 1 {
		return usagef("describe: want one CSV file, got %d arguments", len(pos))
	}
	return describeTable(pos[0], c, stdout)
}

// describeTable describes the table at path as train would see it with
// the flags of c.
func describeTable(path string, c *describeConfig, w io.Writer) error {
	t, err := data.LoadTable(path, data.TableOptions{})
	if err != nil {
		return err
	}
	target := c.target
	switch {
	case target == "none":
		target = ""
	case target == "":
		target = t.Columns[len(t.Columns)-1]
	case t.Column(target) < 0:
		return usagef("describe: --target %s: %s has no column %q; its columns are %s", target, path, target, shortList(t.Columns, 12))
	}
	if c.task == "" {
		c.task = "auto"
	}
	opt, err := c.prepOptions(t, target, taskOf(c.task))
	if err != nil {
		return err
	}
	sums, err := data.Describe(t, opt)
	if err != nil {
		return err
	}
	if c.json {
		for _, s := range sums {
			writeJSONLine(w, columnJSON(s))
		}
		return nil
	}
	fmt.Fprintf(w, "%s: %d rows, %d columns\n\n", path, t.Len(), len(t.Columns))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "column\ttype\tmissing\tdistinct\tvalues\ttrain will")
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", s.Name, s.Type, s.Missing, s.Distinct, columnValues(s), s.Action)
	}
	return tw.Flush()
}

// columnValues summarises a column's values in a few words: min, mean
// and max of a numeric column, the three most frequent categories with
// their counts for a categorical one.
func columnValues(s data.ColumnSummary) string {
	if s.Type == data.Numeric {
		if s.Distinct == 0 {
			return "-"
		}
		return fmt.Sprintf("%s / %s / %s", num(s.Min), num(s.Mean), num(s.Max))
	}
	var top []string
	for _, k := range s.Top[:min(len(s.Top), 3)] {
		top = append(top, fmt.Sprintf("%s (%d)", k.Value, k.Count))
	}
	v := strings.Join(top, ", ")
	if more := s.Distinct - len(top); more > 0 {
		v += fmt.Sprintf(", … %d more", more)
	}
	return v
}

// num prints a number in at most 4 significant digits.
func num(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// columnJSON is a column's summary as describe --json prints it.
func columnJSON(s data.ColumnSummary) map[string]any {
	m := map[string]any{"column": s.Name, "type": s.Type.String(), "missing": s.Missing, "distinct": s.Distinct, "action": s.Action, "identifier": s.Identifier}
	if s.Type == data.Numeric && s.Distinct > 0 {
		m["min"], m["mean"], m["max"] = s.Min, s.Mean, s.Max
	}
	if s.Type == data.Categorical {
		top := make([]map[string]any, len(s.Top))
		for i, k := range s.Top {
			top[i] = map[string]any{"value": k.Value, "count": k.Count}
		}
		m["top"] = top
	}
	return m
}
