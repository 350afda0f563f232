package main

import (
	"fmt"
	"io"
	"slices"
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
