package nerve_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

// Checkpoint a run after every epoch, stop it, and continue it later from
// the file: the resumed run reaches the weights of one that never
// stopped.
func ExampleResumeOptions() {
	dir, err := os.MkdirTemp("", "nerve-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "run.ckpt")
	flowers := data.Iris()

	// A run of 5 epochs that saves a checkpoint after each one.
	opts := nerve.Options{Hidden: []int{8}, Activation: "tanh", LR: 0.01, Epochs: 5, Seed: 1}
	opts.Checkpoint = func(m *model.Model[float32]) error { return model.Save(path, m) }
	if _, err := nerve.NewClassifier[string](opts).Fit(context.Background(), flowers.X, flowers.Labels); err != nil {
		log.Fatal(err)
	}

	// Later: read the checkpoint and go on to 20 epochs.
	ck, err := model.Load[float32](path)
	if err != nil {
		log.Fatal(err)
	}
	resumed, err := nerve.ResumeOptions(ck)
	if err != nil {
		log.Fatal(err)
	}
	resumed.Epochs = 20
	clf := nerve.NewClassifier[string](resumed)
	hist, err := clf.Fit(context.Background(), flowers.X, flowers.Labels)
	if err != nil {
		log.Fatal(err)
	}

	// The same as 20 epochs in one go.
	whole := opts
	whole.Epochs, whole.Checkpoint = 20, nil
	ref := nerve.NewClassifier[string](whole)
	if _, err := ref.Fit(context.Background(), flowers.X, flowers.Labels); err != nil {
		log.Fatal(err)
	}
	same := true
	for i, l := range clf.Model().Network.Layers {
		for k, w := range l.W.Data() {
			same = same && w == ref.Model().Network.Layers[i].W.Data()[k]
		}
	}
	fmt.Printf("epochs %d to %d, same weights as one run: %v\n", hist.Epochs[0].Epoch, len(hist.Epochs), same)
	// Output: epochs 1 to 20, same weights as one run: true
}
