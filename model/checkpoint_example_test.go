package model_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// A plain train.Fit run checkpointed after every epoch and stopped after
// three; a new network and optimizer resume from the file and finish the
// run with the weights of one that never stopped.
func ExampleResume() {
	// XOR, 4 samples, float64: a network, an optimizer and a config.
	X := tensor.FromRows([][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}})
	Y := tensor.FromRows([][]float64{{0}, {1}, {1}, {0}})
	setup := func() (*nn.Network[float64], optim.Optimizer[float64], train.Config[float64]) {
		net, err := nn.New[float64](nn.Config{Inputs: 2, Loss: loss.MSE, Layers: []nn.LayerSpec{
			{Units: 4, Activation: activation.Tanh}, {Units: 1, Activation: activation.Sigmoid}}}, rng.New(1))
		if err != nil {
			log.Fatal(err)
		}
		opt, err := optim.New[float64]("adam", 0.05)
		if err != nil {
			log.Fatal(err)
		}
		return net, opt, train.Config[float64]{Epochs: 6, BatchSize: 2, Optimizer: opt, Seed: 7}
	}

	// The first run saves a checkpoint after each epoch (here into
	// memory) and is stopped after the third.
	var file bytes.Buffer
	net, opt, cfg := setup()
	cfg.Checkpoint = func(ck train.Checkpoint[float64]) error {
		m, err := model.NewCheckpoint(&model.Model[float64]{Network: net.Clone()}, opt, ck, model.DataDigest(X, Y))
		if err != nil {
			return err
		}
		file.Reset()
		if _, err := m.WriteTo(&file); err != nil {
			return err
		}
		if len(ck.History.Epochs) == 3 {
			return train.ErrStop
		}
		return nil
	}
	if _, err := train.Fit(context.Background(), net, X, Y, cfg); err != nil {
		log.Fatal(err)
	}

	// Later: a fresh network and optimizer continue from the file.
	ck, err := model.Read[float64](&file)
	if err != nil {
		log.Fatal(err)
	}
	net2, opt2, cfg2 := setup()
	var rec *model.CheckpointRecord
	if cfg2.Resume, rec, err = model.Resume(ck, net2, opt2); err != nil {
		log.Fatal(err)
	}
	hist, err := train.Fit(context.Background(), net2, X, Y, cfg2)
	if err != nil {
		log.Fatal(err)
	}

	// The same as six epochs in one go.
	ref, _, cfg3 := setup()
	if _, err := train.Fit(context.Background(), ref, X, Y, cfg3); err != nil {
		log.Fatal(err)
	}
	same := true
	for i, p := range ref.Params(nil) {
		same = same && tensor.Equal(p.Value, net2.Params(nil)[i].Value)
	}
	fmt.Println("resumed after epoch", len(rec.History.Epochs), "and ran to epoch", len(hist.Epochs))
	fmt.Println("same data:", rec.Data == model.DataDigest(X, Y))
	fmt.Println("same weights as an uninterrupted run:", same)
	// Output:
	// resumed after epoch 3 and ran to epoch 6
	// same data: true
	// same weights as an uninterrupted run: true
}

// DataDigestWeighted tells runs on the same samples with different sample
// weights apart; without weights it is DataDigest.
func ExampleDataDigestWeighted() {
	X := tensor.FromRows([][]float64{{0, 1}, {1, 0}})
	Y := tensor.FromRows([][]float64{{1}, {0}})
	plain := model.DataDigest(X, Y)
	fmt.Println(model.DataDigestWeighted(X, Y, nil) == plain)
	fmt.Println(model.DataDigestWeighted(X, Y, []float64{1, 1}) == plain)
	fmt.Println(model.DataDigestWeighted(X, Y, []float64{1, 1}) == model.DataDigestWeighted(X, Y, []float64{1, 2}))
	// Output:
	// true
	// false
	// false
}
