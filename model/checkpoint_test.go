package model

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/train"
)

func TestWithMemberKeepsBytes(t *testing.T) {
	tests := []struct{ obj, want string }{
		{"", `{"checkpoint":1}`},
		{"{}", `{"checkpoint":1}`},
		{` { } `, `{"checkpoint":1}`},
		{`{"b":2,"a":[1, 2]}`, `{"b":2,"a":[1, 2],"checkpoint":1}`},
		{"{\"a\":1}\n", `{"a":1,"checkpoint":1}`},
	}
	for _, tt := range tests {
		got, err := withMember(json.RawMessage(tt.obj), "checkpoint", 1)
		if err != nil || string(got) != tt.want {
			t.Errorf("withMember(%q) = %s, %v; want %s", tt.obj, got, err, tt.want)
		}
	}
	for _, obj := range []string{`[1]`, `"x"`, `{"checkpoint":{}}`, `null`} {
		if _, err := withMember(json.RawMessage(obj), "checkpoint", 1); !errors.Is(err, ErrCheckpoint) {
			t.Errorf("withMember(%q) error %v; want ErrCheckpoint", obj, err)
		}
	}
}

func TestCheckpointErrors(t *testing.T) {
	newNet := func(hidden int) *nn.Network[float32] {
		net, err := nn.New[float32](nn.Config{Inputs: 2, Loss: loss.MSE, Layers: []nn.LayerSpec{
			{Units: hidden, Activation: activation.Tanh}, {Units: 1, Activation: activation.Identity}}}, rng.New(1))
		if err != nil {
			t.Fatal(err)
		}
		return net
	}
	adam := func() optim.Optimizer[float32] {
		o, err := optim.New[float32]("adam", 0.01)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	net, opt := newNet(3), adam()
	// One Adam step, so that the optimizer has buffers to save.
	opt.Step(net.Params(&nn.Gradients[float32]{Layers: []nn.LayerGradients[float32]{
		{DW: net.Layers[0].W.Clone(), DB: net.Layers[0].B.Clone()},
		{DW: net.Layers[1].W.Clone(), DB: net.Layers[1].B.Clone()}}}))
	hist := &train.History{Epochs: []train.EpochStats{{Epoch: 1, LR: 0.01, Loss: 0.5}}}
	ck, err := NewCheckpoint(&Model[float32]{Network: net.Clone(), Training: json.RawMessage(`{"seed":1}`)}, opt, train.Checkpoint[float32]{History: hist}, "d")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(ck.Training), `{"seed":1,"checkpoint":{"data":"d","optimizer_steps":1,"optimizer_buffers":2,`) {
		t.Errorf("training record %s", ck.Training)
	}
	noBuffer := *ck
	noBuffer.Extra = noBuffer.Extra[1:]
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"no history", func() error {
			_, err := NewCheckpoint(&Model[float32]{Network: net}, opt, train.Checkpoint[float32]{}, "")
			return err
		}, "needs a model with a network and the run's history"},
		{"not a checkpoint", func() error { _, _, err := Resume(&Model[float32]{Network: net}, newNet(3), adam()); return err }, "not a checkpoint"},
		{"other shape", func() error { _, _, err := Resume(ck, newNet(4), adam()); return err }, "the checkpoint's network is 2 → 3 tanh → 1 identity"},
		{"missing buffer", func() error { _, _, err := Resume(&noBuffer, newNet(3), adam()); return err }, `extra block "optimizer/0/0" is missing`},
		{"other optimizer", func() error {
			sgd, _ := optim.New[float32]("sgd", 0.1)
			_, _, err := Resume(ck, newNet(3), sgd)
			return err
		}, "state"},
	}
	for _, tt := range tests {
		err := tt.do()
		if !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want ErrCheckpoint containing %q", tt.name, err, tt.want)
		}
	}
	// A failed Resume leaves the network as it was.
	fresh := newNet(3)
	before := fresh.Clone()
	if _, _, err := Resume(&noBuffer, fresh, adam()); err == nil {
		t.Fatal("Resume without a buffer succeeded")
	}
	for i, p := range fresh.Params(nil) {
		if !slices.Equal(p.Value.Data(), before.Params(nil)[i].Value.Data()) {
			t.Fatalf("parameter %d changed by a failed Resume", i)
		}
	}
	// A good Resume copies the parameters.
	if _, _, err := Resume(ck, fresh, adam()); err != nil {
		t.Fatal(err)
	}
	for i, p := range fresh.Params(nil) {
		if !slices.Equal(p.Value.Data(), net.Params(nil)[i].Value.Data()) {
			t.Fatalf("parameter %d not restored", i)
		}
	}
}
