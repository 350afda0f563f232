package data

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/tensor"
)

// Columns describes the inputs of a trained model, so that new samples
// can be read for it by name: `nerve predict` and `nerve serve` read
// tables with it.
type Columns struct {
	// Features names the model's inputs, one per input; nil when the
	// model does not know them.
	Features []string
	// Target names the column the model was trained to predict; "" when
	// not known.
	Target string
	// Task is the kind of target, used to read a table that still has
	// its target column.
	Task Task
}

// ReadFeatures reads samples to predict on with read, which reads one
// CSV table with the options it is given (ReadCSV bound to a file's or a
// body's bytes); it may be called twice. A table that has the model's
// target column (the training file itself) is read with that column as
// the target, which is then dropped; otherwise every column is a
// feature. A bad cell in a feature column is reported as read with the
// target. The features are then picked by name, as Pick does; name
// names the table in errors. The width of a table read by position is
// not checked: the caller compares X.Cols() with the model's inputs.
func (c Columns) ReadFeatures(name string, read func(CSVOptions) (*Dataset, error)) (*Dataset, error) {
	var d *Dataset
	var err error
	if c.Target != "" {
		d, err = read(CSVOptions{Target: c.Target, Task: c.Task})
		if err == nil {
			d.Labels, d.Y = nil, nil
		}
		// A bad feature cell is the table's fault whichever way it is
		// read; reading it again without a target would only blame
		// the target column's text instead.
		if col, ok := CellError(err); ok && col != c.Target {
			return nil, err
		}
	}
	if d == nil {
		if d, err = read(CSVOptions{NoTarget: true}); err != nil {
			return nil, err
		}
	}
	return c.Pick(name, d)
}

// Pick returns d with the model's features in the model's order, picked
// by name when d has a header and the model has feature names: a
// feature no column is named after, or two columns of one name, is an
// error naming it. A table without a header (or a model without names)
// is returned as it is: its columns must be the model's inputs in order.
// d's X is replaced, not modified.
func (c Columns) Pick(name string, d *Dataset) (*Dataset, error) {
	if c.Features == nil || !hasHeader(d) {
		return d, nil
	}
	col := make(map[string]int, len(d.Features))
	for j, f := range d.Features {
		if k, dup := col[f]; dup {
			return nil, fmt.Errorf("%s: columns %d and %d are both named %q: which is the model's feature is ambiguous", name, k+1, j+1, f)
		}
		col[f] = j
	}
	idx := make([]int, len(c.Features))
	inOrder := len(d.Features) == len(c.Features)
	for k, f := range c.Features {
		j, ok := col[f]
		if !ok {
			return nil, fmt.Errorf("%s: no column named %q, a feature the model was trained on (%s)", name, f, shortNames(c.Features, 8))
		}
		idx[k] = j
		inOrder = inOrder && j == k
	}
	if inOrder {
		return d, nil
	}
	X := tensor.Zeros[float64](d.Len(), len(idx))
	for i := range d.Len() {
		row := d.X.Row(i)
		for k, j := range idx {
			X.Set(i, k, row[j])
		}
	}
	d.X, d.Features = X, c.Features
	return d, nil
}

// hasHeader reports whether d's column names came from a header: a table
// without one has the names col1, col2, … by position.
func hasHeader(d *Dataset) bool {
	names := append(slices.Clone(d.Features), d.Target)
	for j, n := range names {
		if n != "" && n != "col"+strconv.Itoa(j+1) {
			return true
		}
	}
	return false
}

// shortNames joins names, eliding the middle of a list longer than max.
func shortNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max-2], ", ") + fmt.Sprintf(", … (%d more), ", len(names)-max+1) + names[len(names)-1]
}

// CellError reports whether err is about one cell of a table (a
// *ParseError with a line and a column), and returns the cell's column
// name. Such an error means the table was read as far as its rows, so the
// column spec it was read with matched the header.
func CellError(err error) (column string, ok bool) {
	var pe *ParseError
	if errors.As(err, &pe) && pe.Line > 0 && pe.Column > 0 {
		return pe.ColumnName, true
	}
	return "", false
}
