package nerve_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// TestSentinels triggers every documented kind of failure of the public
// API and checks that errors.Is finds its sentinels (and the family it
// belongs to) and that the message says what went wrong.
func TestSentinels(t *testing.T) {
	cfg := nn.Config{Inputs: 2, Loss: loss.MSE, Layers: []nn.LayerSpec{{Units: 3, Activation: activation.Tanh}, {Units: 1, Activation: activation.Identity}}}
	net, err := nn.New[float64](cfg, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	X := tensor.FromRows([][]float64{{0, 1}, {1, 0}, {1, 1}})
	Y := tensor.FromRows([][]float64{{1}, {1}, {0}})
	sgd, _ := optim.New[float64]("sgd", 0.1)
	flowers := data.Iris()
	tests := []struct {
		name string
		err  func() error
		is   []error
		want string
	}{
		{"nn.New nil source", func() error { _, err := nn.New[float64](cfg, nil); return err }, []error{nn.ErrConfig}, "random source"},
		{"nn.New bad config", func() error { _, err := nn.New[float64](nn.Config{}, rng.New(1)); return err }, []error{nn.ErrConfig}, ""},
		{"nil network", func() error { var n *nn.Network[float64]; return n.Validate() }, []error{nn.ErrConfig}, "nil"},
		{"Update negative lr", func() error {
			c, _ := net.Forward(X)
			g, _ := net.Backward(c, Y)
			return net.Update(g, -1)
		}, []error{nn.ErrConfig}, "learning rate -1"},
		{"Update NaN lr", func() error {
			c, _ := net.Forward(X)
			g, _ := net.Backward(c, Y)
			return net.Update(g, math.NaN())
		}, []error{nn.ErrConfig}, "learning rate NaN"},
		{"Update nil gradients", func() error { return net.Update(nil, 0.1) }, []error{nn.ErrShape}, "gradients for 0 layers"},
		{"Forward wrong width", func() error { _, err := net.Forward(tensor.Zeros[float64](2, 5)); return err }, []error{nn.ErrShape}, ""},
		{"SetLR infinite", func() error { return sgd.SetLR(math.Inf(1)) }, []error{optim.ErrInvalid}, "LR"},
		{"Fit nil network", func() error {
			_, err := train.Fit(context.Background(), nil, X, Y, train.Config[float64]{})
			return err
		}, []error{nn.ErrConfig}, "nil"},
		{"Fit nil data", func() error {
			_, err := train.Fit(context.Background(), net.Clone(), nil, nil, train.Config[float64]{})
			return err
		}, []error{train.ErrData, data.ErrData}, "must not be nil"},
		{"Fit bad batch size", func() error {
			_, err := train.Fit(context.Background(), net.Clone(), X, Y, train.Config[float64]{BatchSize: -2})
			return err
		}, []error{train.ErrConfig, nn.ErrConfig}, "BatchSize is -2"},
		{"Fit bad schedule", func() error {
			_, err := train.Fit(context.Background(), net.Clone(), X, Y, train.Config[float64]{Epochs: 2, Schedule: optim.Constant(-0.5)})
			return err
		}, []error{train.ErrConfig, nn.ErrConfig, optim.ErrInvalid}, "epoch 1"},
		{"Fit NaN data", func() error {
			bad := X.Clone()
			bad.Set(1, 1, math.NaN())
			_, err := train.Fit(context.Background(), net.Clone(), bad, Y, train.Config[float64]{})
			return err
		}, []error{train.ErrData, data.ErrData}, ""},
		{"Options bad epochs", func() error {
			_, err := nerve.NewClassifier[string](nerve.Options{Epochs: -1}).Fit(context.Background(), flowers.X, flowers.Labels)
			return err
		}, []error{nerve.ErrOptions, nn.ErrConfig}, "Epochs is -1"},
		{"Classifier Fit nil", func() error {
			_, err := nerve.NewClassifier[string](nerve.Options{}).Fit(context.Background(), nil, nil)
			return err
		}, []error{data.ErrData}, "nil"},
		{"Regressor Fit nil", func() error {
			_, err := nerve.NewRegressor(nerve.Options{}).Fit(context.Background(), nil, nil)
			return err
		}, []error{data.ErrData}, "nil"},
		{"Predict before Fit", func() error {
			_, err := nerve.NewClassifier[string](nerve.Options{}).Predict(flowers.X)
			return err
		}, []error{nerve.ErrNotFitted}, "not been trained"},
		{"Save before Fit", func() error { return nerve.NewRegressor(nerve.Options{}).Save("never.nerve") }, []error{nerve.ErrNotFitted}, "nothing to save"},
		{"Predict nil", func() error {
			_, err := (&model.Model[float64]{Network: net}).Predict(nil)
			return err
		}, []error{nn.ErrShape}, "nil"},
		{"Predict NaN", func() error {
			bad := X.Clone()
			bad.Set(2, 1, math.NaN())
			_, err := (&model.Model[float64]{Network: net, Features: []string{"a", "b"}}).Predict(bad)
			return err
		}, []error{data.ErrData}, "row 3, column 2 (b) is NaN"},
		{"Predict Inf", func() error {
			bad := X.Clone()
			bad.Set(0, 0, math.Inf(-1))
			_, err := (&model.Model[float64]{Network: net}).Predict(bad)
			return err
		}, []error{data.ErrData}, "row 1, column 1 is -Inf"},
		{"model file garbage", func() error {
			_, err := model.Read[float32](strings.NewReader("not a model file at all"))
			return err
		}, []error{model.ErrFormat}, ""},
		{"not a checkpoint", func() error {
			_, _, err := model.Resume(&model.Model[float64]{Network: net}, net.Clone(), sgd)
			return err
		}, []error{model.ErrCheckpoint}, "not a checkpoint"},
		{"Resume options from a plain model", func() error {
			_, err := nerve.ResumeOptions(&model.Model[float32]{Network: &nn.Network[float32]{}})
			return err
		}, []error{nerve.ErrOptions, model.ErrCheckpoint}, "not a checkpoint"},
	}
	for _, tt := range tests {
		err := tt.err()
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		for _, s := range tt.is {
			if !errors.Is(err, s) {
				t.Errorf("%s: %v is not %v", tt.name, err, s)
			}
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %q does not say %q", tt.name, err, tt.want)
		}
	}
}
