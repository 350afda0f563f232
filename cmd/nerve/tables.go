package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

// tableDataset reads the CSV file at path as a raw table (a header, then
// rows of numbers, text and missing cells) and returns it as the model's
// inputs, through the preprocessing stored in m: columns by name, others
// ignored. With withTarget and a file that has the model's target
// column, the dataset has the targets too. Cells that got all zeros (a
// category training never saw) are counted in one warning line on
// stderr.
func tableDataset(path string, m *model.Model[float32], withTarget bool, stderr io.Writer) (*data.Dataset, error) {
	t, err := data.LoadTable(path, data.TableOptions{})
	if err != nil {
		return nil, err
	}
	p := *m.Preprocessing
	if !withTarget || t.Column(p.Target) < 0 {
		p.Target = ""
	}
	d, rep, err := p.Dataset(t)
	if err != nil {
		return nil, err
	}
	if n := rep.Total(); n > 0 {
		cols := make([]string, 0, len(rep.Unseen))
		for c, k := range rep.Unseen {
			cols = append(cols, fmt.Sprintf("%s: %d", c, k))
		}
		slices.Sort(cols)
		fmt.Fprintf(stderr, "nerve: warning: %s: %d %s not seen in training got all zeros (%s)\n", path, n, pluralWord(n, "category", "categories"), strings.Join(cols, ", "))
	}
	return d, nil
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// loadTables reads --data (and --test) as raw tables, for a CSV file with
// text or missing feature cells or a command line with column flags: it fits the preprocessing on the
// training table (types, missing values, one-hot, scaling; its notes go
// to the progress log) and turns both tables into datasets through it.
// train then fits the model with FitTable, as the library does: the
// network takes the preprocessed inputs as they are (a regressor's
// target is standardised), and the saved model carries the
// preprocessing.
func (r *trainRun) loadTables() error {
	c := r.c
	t, err := data.LoadTable(c.data, data.TableOptions{})
	if err != nil {
		return err
	}
	target := c.target
	if target == "" {
		target = t.Columns[len(t.Columns)-1]
	} else if k, err := strconv.Atoi(target); err == nil && t.Column(target) < 0 && k >= -len(t.Columns) && k < len(t.Columns) {
		target = t.Columns[(k+len(t.Columns))%len(t.Columns)]
	}
	opt, err := c.prepOptions(t, target, taskOf(c.task))
	if err != nil {
		return err
	}
	if w := c.sampleWeight; w != "" {
		switch {
		case t.Column(w) < 0:
			return usagef("--sample-weight %s: %s has no column %q; its columns are %s", w, t.Name, w, shortList(t.Columns, 12))
		case w == target:
			return usagef("--sample-weight %s: the column is the target", w)
		case slices.Contains(opt.Features, w):
			return usagef("--sample-weight %s: the column is also in --features", w)
		}
		if r.weights, err = t.SampleWeights(w); err != nil {
			return err
		}
		opt.Drop = append(slices.Clip(opt.Drop), w) // a weight, not a feature
	}
	p, err := data.FitPreprocessing(t, opt)
	if err != nil {
		return err
	}
	for _, n := range p.Notes {
		r.log.say("%s: %s", c.data, n)
	}
	if r.trainSet, _, err = p.Dataset(t); err != nil {
		return err
	}
	if c.test != "" {
		tt, err := data.LoadTable(c.test, data.TableOptions{})
		if err != nil {
			return err
		}
		var rep data.TransformReport
		if r.testSet, rep, err = p.Dataset(tt); err != nil {
			return err
		}
		if n := rep.Total(); n > 0 {
			r.log.say("%s: %d %s not seen in training got all zeros", c.test, n, pluralWord(n, "category", "categories"))
		}
	}
	r.prep, r.table, r.prepOpt = p, t, opt
	return nil
}

// columnFlags are the flags that choose a raw table's columns and say
// how to read them, shared by train and describe: they become a
// data.PrepOptions.
type columnFlags struct {
	categorical, numeric, drop, features, na []string
}

// defineColumns defines --categorical, --numeric, --drop, --features and --na.
func (c *columnFlags) defineColumns(f *flagSet) {
	f.Var(listValue{&c.categorical}, "categorical", "treat the columns `COL,...` as categories (one-hot), even if they hold numbers")
	f.Var(listValue{&c.numeric}, "numeric", "treat the columns `COL,...` as numbers; a cell that is not a number or missing is an error")
	f.Var(listValue{&c.drop}, "drop", "leave out the columns `COL,...` (identifiers, free text)")
	f.Var(listValue{&c.features}, "features", "use only the columns `COL,...` as features")
	f.Var(listValue{&c.na}, "na", "read the cells `TOKEN,...` as missing too, besides empty cells and NA, N/A, NaN, null and ? (any case)")
}

// given reports whether a column flag was given.
func (c *columnFlags) given() bool {
	return len(c.categorical)+len(c.numeric)+len(c.drop)+len(c.features)+len(c.na) > 0
}

// prepOptions checks that every column the flags name is one of t's and
// returns the options for the target column target; a name t lacks is a
// usage error that lists t's columns.
func (c *columnFlags) prepOptions(t *data.Table, target string, task data.Task) (data.PrepOptions, error) {
	for _, fl := range []struct {
		name  string
		names []string
	}{{"categorical", c.categorical}, {"numeric", c.numeric}, {"drop", c.drop}, {"features", c.features}} {
		for _, n := range fl.names {
			if t.Column(n) < 0 {
				return data.PrepOptions{}, usagef("--%s %s: %s has no column %q; its columns are %s", fl.name, strings.Join(fl.names, ","), t.Name, n, shortList(t.Columns, 12))
			}
		}
	}
	return data.PrepOptions{Target: target, Task: task, Categorical: c.categorical, Numeric: c.numeric, Drop: c.drop, Features: c.features, NA: c.na}, nil
}
