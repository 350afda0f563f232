package main

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

// headerMargin is room left in a model header for what train adds to the
// columns and classes: the training record (a checkpoint's holds its
// history), the metrics.
const headerMargin = 64 << 10

// checkModelLimits refuses, before training, a run whose model could not
// be saved: a network with more parameters than a model file holds, or
// columns and class labels that would not fit in its header. The first
// names --hidden, the second the data file.
func checkModelLimits(d *data.Dataset, hidden []int) error {
	outputs := 1
	if d.Classification() {
		outputs = countDistinct(d.Labels)
	}
	sizes := append(append([]int{d.Cols()}, hidden...), outputs)
	params := int64(0)
	limit := model.MaxModelBytes / 4 // float32 parameters
	for i := 1; i < len(sizes); i++ {
		in, out := int64(sizes[i-1]), int64(sizes[i])
		if in > (limit-params)/out {
			return usagef("train: --hidden %s: a network of %d inputs, these hidden layers and %d outputs has more parameters than a model file holds (%d MiB)",
				unitsValue(&hidden), sizes[0], outputs, model.MaxModelBytes>>20)
		}
		params += in*out + out
	}
	mean := make([]float64, d.Cols())
	for j := range mean {
		mean[j] = -1 / 3.0 // a typical width of a value in JSON
	}
	h := model.Header{Features: d.Features, Target: d.Target, Scaling: &data.Scaler{Mean: mean, Scale: mean}}
	if d.Classification() {
		h.Classes = distinct(d.Labels)
	}
	b, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return err
	}
	if n := len(b) + headerMargin; n > model.MaxHeaderBytes {
		return fmt.Errorf("%s: %d columns and %d classes would make a model header of about %d KiB, more than a model file allows (%d KiB)",
			d.Name, d.Cols()+1, len(h.Classes), n>>10, model.MaxHeaderBytes>>10)
	}
	return nil
}

// distinct returns the distinct labels, sorted.
func distinct(labels []string) []string {
	s := slices.Clone(labels)
	slices.Sort(s)
	return slices.Compact(s)
}

func countDistinct(labels []string) int { return max(len(distinct(labels)), 1) }
