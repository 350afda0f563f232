package main

import (
	"bytes"
	"context"
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
// target ("" means the last column). Each file is read once ("-" is
// standard input); Ctrl-C stops the loading. With f32 the features are
// stored in float32 only (Dataset.X32), for training without scaling.
func loadLabelled(ctx context.Context, path, labels, target string, task data.Task, f32 bool) (*data.Dataset, error) {
	if labels != "" && task == data.TaskRegression {
		return nil, fmt.Errorf("%s: IDX labels are classes; --task regression does not apply", labels)
	}
	b, err := readInput(ctx, path)
	if err != nil {
		return nil, err
	}
	if labels == "" {
		return cancellable(ctx, func() (*data.Dataset, error) {
			return data.ReadCSV(bytes.NewReader(b), path, data.CSVOptions{Target: target, Task: task, Float32: f32})
		})
	}
	lb, err := readInput(ctx, labels)
	if err != nil {
		return nil, err
	}
	return cancellable(ctx, func() (*data.Dataset, error) {
		return data.ReadIDXPairWith(bytes.NewReader(b), path, bytes.NewReader(lb), labels, data.IDXOptions{Float32: f32})
	})
}

// loadFeatures reads the samples to predict on from a CSV file or an IDX
// image file, once, and returns them with the model's features: by name
// when the file has a header and the model has feature names (so the
// training file itself, target column and all, can be given, and
// columns in another order are put in the model's); otherwise the file
// must have exactly as many columns as the model has inputs.
func loadFeatures(ctx context.Context, path string, m *model.Model[float32]) (*data.Dataset, error) {
	b, err := readInput(ctx, path)
	if err != nil {
		return nil, err
	}
	return featuresOf(ctx, path, b, m)
}

// featuresOf is loadFeatures for b, the contents of the file at path.
func featuresOf(ctx context.Context, path string, b []byte, m *model.Model[float32]) (*data.Dataset, error) {
	if isIDX(path, b) {
		return idxFeatures(path, b, m)
	}
	return cancellable(ctx, func() (*data.Dataset, error) {
		d, err := columnsOf(m).ReadFeatures(path, func(opt data.CSVOptions) (*data.Dataset, error) {
			return data.ReadCSV(bytes.NewReader(b), path, opt)
		})
		if err != nil {
			return nil, err
		}
		return d, checkWidth(path, d, m)
	})
}

// idxFeatures reads IDX images to predict on, checking their width
// against the model before converting any pixel.
func idxFeatures(path string, b []byte, m *model.Model[float32]) (*data.Dataset, error) {
	if b[0] == 0 && len(b) >= 4 && len(b) >= 4+4*int(b[3]) && b[3] >= 2 {
		width := 1
		for i := 1; i < int(b[3]); i++ {
			width *= int(beUint32(b[4+4*i:]))
		}
		if width != m.Network.Inputs() {
			return nil, widthError(path, width, m)
		}
	}
	dims, values, err := data.ReadIDX(bytes.NewReader(b), path)
	if err != nil {
		return nil, err
	}
	if len(dims) < 2 {
		return nil, fmt.Errorf("%s: an IDX file of %d dimension(s) is not a set of images", path, len(dims))
	}
	n := dims[0]
	width := len(values) / max(n, 1)
	if width != m.Network.Inputs() {
		return nil, widthError(path, width, m)
	}
	X := tensor.Zeros[float64](n, width)
	for i, v := range values {
		X.Data()[i] = float64(v) / 255
	}
	return &data.Dataset{Name: path, X: X}, nil
}

// beUint32 reads a big-endian uint32, as IDX headers store dimensions.
func beUint32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// columnsOf describes m's inputs for reading tables by name.
func columnsOf(m *model.Model[float32]) data.Columns {
	return data.Columns{Features: m.Features, Target: m.Target, Task: taskOfModel(m)}
}

// pickFeatures returns d with the model's features in the model's order
// (data.Columns.Pick), checking the width of a file read by position.
func pickFeatures(path string, d *data.Dataset, m *model.Model[float32]) (*data.Dataset, error) {
	d, err := columnsOf(m).Pick(path, d)
	if err != nil {
		return nil, err
	}
	return d, checkWidth(path, d, m)
}

func checkWidth(path string, d *data.Dataset, m *model.Model[float32]) error {
	if d.X.Cols() != m.Network.Inputs() {
		return widthError(path, d.X.Cols(), m)
	}
	return nil
}

func widthError(path string, cols int, m *model.Model[float32]) error {
	extra := ""
	if len(m.Features) > 0 {
		extra = fmt.Sprintf(" (%s)", shortList(m.Features, 8))
	}
	return fmt.Errorf("%s: has %d feature columns, the model was trained on %d%s", path, cols, m.Network.Inputs(), extra)
}

// isIDX reports whether b, the contents of the file at path, starts
// like an IDX file (possibly gzipped): to tell MNIST-style files from CSV.
func isIDX(path string, b []byte) bool {
	if len(b) < 4 {
		return false
	}
	if b[0] == 0x1f && b[1] == 0x8b {
		return strings.Contains(filepath.Base(path), "idx") || strings.Contains(filepath.Base(path), "ubyte")
	}
	return b[0] == 0 && b[1] == 0 && b[2] == 0x08
}

// shortList joins names, eliding the middle of a long list.
func shortList(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max-2], ", ") + fmt.Sprintf(", … (%d more), ", len(names)-max+1) + names[len(names)-1]
}

// checkOutPath fails early, before any work, if path cannot be written:
// it must not be empty, its directory must exist and take a new file,
// and path must not be a directory. "-" (standard output) and devices
// pass.
func checkOutPath(flag, path string) error {
	if path == "" {
		return usagef("--%s: empty file name", flag)
	}
	if path == stdinName {
		return nil
	}
	fi, err := os.Stat(path)
	if err == nil && fi.IsDir() {
		return fmt.Errorf("--%s %s: is a directory", flag, path)
	}
	if err == nil && !fi.Mode().IsRegular() {
		return nil // a device or pipe, written directly
	}
	dir := filepath.Dir(path)
	fi, err = os.Stat(dir)
	if err != nil {
		return fmt.Errorf("--%s %s: directory %s does not exist", flag, path, dir)
	}
	if !fi.IsDir() {
		return fmt.Errorf("--%s %s: %s is not a directory", flag, path, dir)
	}
	probe, err := os.CreateTemp(dir, ".nerve-probe-*")
	if err != nil {
		return fmt.Errorf("--%s %s: cannot create a file in %s: %w", flag, path, dir, errors.Unwrap(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// writeOutput writes what fill produces to stdout for "-", else to path
// through a temporary file in the same directory, renamed into place only
// when everything was written: a failure never leaves a partial file at
// path.
func writeOutput(path string, stdout io.Writer, fill func(w io.Writer) error) error {
	if path == stdinName {
		return fill(stdout)
	}
	return atomicfile.Write(path, fill)
}

// networkData reads labelled data for the model at modelPath (already
// loaded as m) and returns it as the network sees it in training: the
// features standardised with the model's scaler, and the targets encoded
// as in training — one-hot rows in the order of the model's classes (a
// 0/1 column for a single sigmoid output), or regression targets
// standardised with the model's target scaler.
func networkData(ctx context.Context, m *model.Model[float64], modelPath, dataPath, labels, target string) (X, Y *tensor.Dense[float64], err error) {
	task := data.TaskRegression
	if len(m.Classes) > 0 {
		task = data.TaskClassification
	}
	if target == "" {
		target = m.Target
	}
	d, err := loadLabelled(ctx, dataPath, labels, target, task, false)
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
