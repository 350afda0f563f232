package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/internal/atomicfile"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/tensor"
)

// taskOf turns the --task word into a data.Task.
func taskOf(s string) data.Task {
	switch s {
	case "classification":
		return data.TaskClassification
	case "regression":
		return data.TaskRegression
	}
	return data.TaskAuto
}

// taskOfModel returns the kind of target m predicts.
func taskOfModel(m *model.Model[float32]) data.Task {
	if len(m.Classes) > 0 {
		return data.TaskClassification
	}
	return data.TaskRegression
}

// loadLabelled reads a dataset with targets: an IDX image file with its
// IDX labels when labels is set, else a CSV file whose target column is
// target ("" means the last column).
func loadLabelled(path, labels, target string, task data.Task) (*data.Dataset, error) {
	if labels != "" {
		if task == data.TaskRegression {
			return nil, fmt.Errorf("%s: IDX labels are classes; --task regression does not apply", labels)
		}
		return data.LoadIDX(path, labels)
	}
	return data.LoadCSV(path, data.CSVOptions{Target: target, Task: task})
}

// loadFeatures reads the samples to predict on from a CSV file or an IDX
// image file, and returns them with the model's features: columns whose
// header names match the model's features are picked by name (so the
// training file itself, target column and all, can be given); otherwise
// the file must have exactly as many columns as the model has inputs.
func loadFeatures(path string, m *model.Model[float32]) (*data.Dataset, error) {
	if isIDX(path) {
		dims, values, err := data.LoadIDXFile(path)
		if err != nil {
			return nil, err
		}
		if len(dims) < 2 {
			return nil, fmt.Errorf("%s: an IDX file of %d dimension(s) is not a set of images", path, len(dims))
		}
		n := dims[0]
		width := len(values) / max(n, 1)
		X := tensor.Zeros[float64](n, width)
		for i, v := range values {
			X.Data()[i] = float64(v) / 255
		}
		d := &data.Dataset{Name: path, X: X}
		return d, checkWidth(path, d, m)
	}
	// A file with the model's target column (the training file itself)
	// is read with that column as the target, and the target dropped.
	var d *data.Dataset
	var err error
	if m.Target != "" {
		d, err = data.LoadCSV(path, data.CSVOptions{Target: m.Target, Task: taskOfModel(m)})
		if err == nil {
			d.Labels, d.Y = nil, nil
		}
		// A bad feature cell is the file's fault whichever way it is
		// read; reading it again without a target would only blame
		// the target column's text instead.
		if col, ok := cellError(err); ok && col != m.Target {
			return nil, err
		}
	}
	if d == nil {
		if d, err = data.LoadCSV(path, data.CSVOptions{NoTarget: true}); err != nil {
			return nil, err
		}
	}
	if len(m.Features) == m.Network.Inputs() && d.Features != nil {
		idx := make([]int, 0, len(m.Features))
		for _, f := range m.Features {
			if j := slices.Index(d.Features, f); j >= 0 {
				idx = append(idx, j)
			}
		}
		if len(idx) == len(m.Features) && len(d.Features) != len(idx) {
			X := tensor.Zeros[float64](d.Len(), len(idx))
			for i := range d.Len() {
				row := d.X.Row(i)
				for k, j := range idx {
					X.Set(i, k, row[j])
				}
			}
			d.X, d.Features = X, m.Features
		}
	}
	return d, checkWidth(path, d, m)
}

// cellError reports whether err is about one cell of a data file (a
// *data.ParseError with a line and a column), and returns the cell's
// column name. Such an error means the file was read as far as its rows,
// so the column spec it was read with matched the header.
func cellError(err error) (column string, ok bool) {
	var pe *data.ParseError
	if errors.As(err, &pe) && pe.Line > 0 && pe.Column > 0 {
		return pe.ColumnName, true
	}
	return "", false
}

func checkWidth(path string, d *data.Dataset, m *model.Model[float32]) error {
	if d.X.Cols() != m.Network.Inputs() {
		extra := ""
		if len(m.Features) > 0 {
			extra = fmt.Sprintf(" (%s)", shortList(m.Features, 8))
		}
		return fmt.Errorf("%s: has %d feature columns, the model was trained on %d%s", path, d.X.Cols(), m.Network.Inputs(), extra)
	}
	return nil
}

// isIDX reports whether path starts like an IDX file (possibly gzipped):
// used to tell MNIST-style files from CSV.
func isIDX(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var head [4]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return false
	}
	if head[0] == 0x1f && head[1] == 0x8b {
		return strings.Contains(filepath.Base(path), "idx") || strings.Contains(filepath.Base(path), "ubyte")
	}
	return head[0] == 0 && head[1] == 0 && head[2] == 0x08
}

// shortList joins names, eliding the middle of a long list.
func shortList(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max-2], ", ") + fmt.Sprintf(", … (%d more), ", len(names)-max+1) + names[len(names)-1]
}

// checkOutPath fails early, before any work, if path cannot be written:
// its directory must exist and path must not be a directory.
func checkOutPath(flag, path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("--%s %s: directory %s does not exist", flag, path, dir)
	}
	if !fi.IsDir() {
		return fmt.Errorf("--%s %s: %s is not a directory", flag, path, dir)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("--%s %s: is a directory", flag, path)
	}
	return nil
}

// writeFileAtomic writes what fill produces to path through a temporary
// file in the same directory, renamed into place only when everything
// was written: a failure never leaves a partial file at path.
func writeFileAtomic(path string, fill func(w io.Writer) error) error {
	return atomicfile.Write(path, fill)
}

// networkData reads labelled data for the model at modelPath (already
// loaded as m) and returns it as the network sees it in training: the
// features standardised with the model's scaler, and the targets encoded
// as in training — one-hot rows in the order of the model's classes (a
// 0/1 column for a single sigmoid output), or regression targets
// standardised with the model's target scaler.
func networkData(m *model.Model[float64], modelPath, dataPath, labels, target string) (X, Y *tensor.Dense[float64], err error) {
	task := data.TaskRegression
	if len(m.Classes) > 0 {
		task = data.TaskClassification
	}
	if target == "" {
		target = m.Target
	}
	d, err := loadLabelled(dataPath, labels, target, task)
	if err != nil {
		return nil, nil, err
	}
	if d.X.Cols() != m.Network.Inputs() {
		return nil, nil, fmt.Errorf("%s: has %d feature columns, the model %s was trained on %d", dataPath, d.X.Cols(), modelPath, m.Network.Inputs())
	}
	X = d.X
	if m.Scaler != nil {
		if X, err = data.Transform[float64](m.Scaler, d.X); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", dataPath, err)
		}
	}
	if task == data.TaskClassification {
		idx := make([]int, d.Len())
		for i, l := range d.Labels {
			k := slices.Index(m.Classes, l)
			if k < 0 {
				return nil, nil, fmt.Errorf("%s: sample %d has label %q, which is not one of the model's classes (%s)", dataPath, i+1, l, shortList(m.Classes, 8))
			}
			idx[i] = k
		}
		if m.Network.Outputs() == 1 { // a sigmoid output: the probability of class 1
			Y = tensor.Zeros[float64](d.Len(), 1)
			for i, k := range idx {
				Y.Set(i, 0, float64(k))
			}
			return X, Y, nil
		}
		return X, data.OneHot[float64](idx, len(m.Classes)), nil
	}
	if d.Y.Cols() != m.Network.Outputs() {
		return nil, nil, fmt.Errorf("%s: has %d target columns, the model %s has %d outputs", dataPath, d.Y.Cols(), modelPath, m.Network.Outputs())
	}
	Y = d.Y
	if m.TargetScaler != nil {
		if Y, err = data.Transform[float64](m.TargetScaler, d.Y); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", dataPath, err)
		}
	}
	return X, Y, nil
}
