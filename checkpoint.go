package nerve

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/optim"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// A checkpoint is a model file like any other, with three additions:
//
//   - its training record has a "checkpoint" object: a digest of the
//     training data, the optimizer's step count and the history so far;
//   - extra blocks "optimizer/J/I" hold buffer J (a momentum, a running
//     average …) of parameter I, numbered from 0 in the order W1, b1, W2 …;
//   - extra blocks "best/L/W" and "best/L/b" hold layer L's parameters at
//     the best epoch (1-based L), when early stopping keeps them.

// checkpointRecord is the "checkpoint" object of a checkpoint's training
// record.
type checkpointRecord struct {
	Data    string        `json:"data"`              // dataDigest of the scaled training data
	Steps   int           `json:"optimizer_steps"`   // optimizer steps taken
	Buffers int           `json:"optimizer_buffers"` // state buffers per parameter
	History historyRecord `json:"history"`
}

// historyRecord is a train.History in JSON, where NaN cannot appear.
type historyRecord struct {
	Epochs       []epochRecord `json:"epochs"`
	BestEpoch    int           `json:"best_epoch"`
	StoppedEarly bool          `json:"stopped_early"`
}

// epochRecord is a train.Epoch; nil stands for NaN (no validation data,
// or a regressor's accuracy). encoding/json writes float64s so that they
// read back bit for bit.
type epochRecord struct {
	Epoch       int      `json:"epoch"`
	LR          float64  `json:"lr"`
	Loss        float64  `json:"loss"`
	Accuracy    *float64 `json:"accuracy,omitempty"`
	ValLoss     *float64 `json:"val_loss,omitempty"`
	ValAccuracy *float64 `json:"val_accuracy,omitempty"`
}

func orNil(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func historyToRecord(h *train.History) historyRecord {
	r := historyRecord{BestEpoch: h.BestEpoch, StoppedEarly: h.StoppedEarly, Epochs: []epochRecord{}}
	for _, e := range h.Epochs {
		r.Epochs = append(r.Epochs, epochRecord{
			Epoch: e.Epoch, LR: e.LR, Loss: e.Loss,
			Accuracy: orNil(e.Accuracy), ValLoss: orNil(e.ValLoss), ValAccuracy: orNil(e.ValAccuracy),
		})
	}
	return r
}

func (r historyRecord) history() *train.History {
	h := &train.History{BestEpoch: r.BestEpoch, StoppedEarly: r.StoppedEarly}
	for _, e := range r.Epochs {
		h.Epochs = append(h.Epochs, train.Epoch{
			Epoch: e.Epoch, LR: e.LR, Loss: e.Loss,
			Accuracy: orNaN(e.Accuracy), ValLoss: orNaN(e.ValLoss), ValAccuracy: orNaN(e.ValAccuracy),
		})
	}
	return h
}

// dataDigest identifies the scaled training data, in order: a SHA-256 of
// the shapes and the bits of X and Y. It changes with the data, the
// scaling, the class labels and the order of the samples.
func dataDigest(X, Y *tensor.Dense[float32]) string {
	h := sha256.New()
	var buf [4096]byte
	for _, m := range []*tensor.Dense[float32]{X, Y} {
		binary.LittleEndian.PutUint64(buf[:8], uint64(m.Rows()))
		binary.LittleEndian.PutUint64(buf[8:16], uint64(m.Cols()))
		h.Write(buf[:16])
		d := m.Data()
		for len(d) > 0 {
			n := min(len(d), len(buf)/4)
			for i, v := range d[:n] {
				binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
			}
			h.Write(buf[:4*n])
			d = d[n:]
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// params lists a network's parameters in checkpoint order: W1, b1, W2 …
func params(net *nn.Network[float32]) []*tensor.Dense[float32] {
	var ps []*tensor.Dense[float32]
	for _, l := range net.Layers {
		ps = append(ps, l.W)
		if l.B != nil {
			ps = append(ps, l.B)
		}
	}
	return ps
}

// checkpointModel makes the model Options.Checkpoint receives at the end
// of an epoch.
func checkpointModel(ck train.Checkpoint[float32], net *nn.Network[float32], opt optim.Optimizer[float32], rec trainingRecord, digest string, wrap wrapFunc) (*nn.Model[float32], error) {
	sf, ok := opt.(optim.Stateful[float32])
	if !ok {
		return nil, fmt.Errorf("%w: Checkpoint: optimizer %s cannot save its state", ErrOptions, rec.Optimizer)
	}
	st := sf.State()
	rec.EpochsRun, rec.BestEpoch = len(ck.History.Epochs), ck.History.BestEpoch
	rec.Checkpoint = &checkpointRecord{Data: digest, Steps: st.Steps, Buffers: len(st.Buffers), History: historyToRecord(ck.History)}
	raw, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	m := wrap(net.Clone(), raw, ck.History)
	for j, bufs := range st.Buffers {
		for i, b := range bufs {
			m.Extra = append(m.Extra, nn.Extra[float32]{Name: fmt.Sprintf("optimizer/%d/%d", j, i), Values: b})
		}
	}
	if ck.Best != nil {
		for i, l := range ck.Best.Layers {
			m.Extra = append(m.Extra, nn.Extra[float32]{Name: fmt.Sprintf("best/%d/W", i+1), Values: slices.Clone(l.W.Data())})
			if l.B != nil {
				m.Extra = append(m.Extra, nn.Extra[float32]{Name: fmt.Sprintf("best/%d/b", i+1), Values: slices.Clone(l.B.Data())})
			}
		}
	}
	return m, nil
}

// readRecord returns a checkpoint's training record, or an error wrapping
// ErrOptions if m is not a checkpoint.
func readRecord(m *nn.Model[float32]) (trainingRecord, error) {
	var rec trainingRecord
	if m == nil || m.Network == nil {
		return rec, fmt.Errorf("%w: Resume: no model", ErrOptions)
	}
	if err := json.Unmarshal(m.Training, &rec); err != nil || rec.Checkpoint == nil {
		return rec, fmt.Errorf("%w: Resume: the model is not a checkpoint (it has no checkpoint record; checkpoints come from Options.Checkpoint)", ErrOptions)
	}
	return rec, nil
}

// ResumeOptions returns the options of the run that the checkpoint m was
// taken from, with Resume set to m, ready for the Fit of a new Classifier
// or Regressor (add callbacks, or raise Epochs, as needed). It returns an
// error wrapping ErrOptions if m is not a checkpoint.
func ResumeOptions(m *nn.Model[float32]) (Options, error) {
	rec, err := readRecord(m)
	if err != nil {
		return Options{}, err
	}
	return Options{
		Hidden: append(make([]int, 0, len(rec.Hidden)), rec.Hidden...), Activation: rec.Activation,
		Optimizer: rec.Optimizer, LR: rec.LR, Epochs: rec.Epochs, BatchSize: rec.BatchSize,
		Validation: rec.Validation, Patience: rec.Patience, Seed: rec.Seed, NoScaling: !rec.Scaling,
		Resume: m,
	}, nil
}

// resumeFrom checks that the checkpoint m belongs to a run with the
// training record want (the options of this Fit) on data with the given
// digest, copies its parameters into net and its optimizer state into
// opt, and returns the train.Checkpoint to resume from.
func resumeFrom(m *nn.Model[float32], want trainingRecord, digest string, net *nn.Network[float32], opt optim.Optimizer[float32]) (*train.Checkpoint[float32], error) {
	rec, err := readRecord(m)
	if err != nil {
		return nil, err
	}
	ck := rec.Checkpoint
	fail := func(format string, a ...any) error {
		return fmt.Errorf("%w: Resume: "+format, append([]any{ErrOptions}, a...)...)
	}
	type field struct {
		name      string
		run, this any
	}
	for _, f := range []field{
		{"Hidden", rec.Hidden, want.Hidden}, {"Activation", rec.Activation, want.Activation},
		{"Optimizer", rec.Optimizer, want.Optimizer}, {"LR", rec.LR, want.LR},
		{"BatchSize", rec.BatchSize, want.BatchSize}, {"Validation", rec.Validation, want.Validation},
		{"Patience", rec.Patience, want.Patience}, {"Seed", rec.Seed, want.Seed},
		{"NoScaling", !rec.Scaling, !want.Scaling},
	} {
		if fmt.Sprint(f.run) != fmt.Sprint(f.this) {
			return nil, fail("%s is %v, but the checkpoint's run had %v", f.name, f.this, f.run)
		}
	}
	if done := len(ck.History.Epochs); want.Epochs < done {
		return nil, fail("Epochs is %d, but the checkpoint has already run %d", want.Epochs, done)
	}
	if ck.Data != digest {
		return nil, fail("the training data differ from the checkpoint's (the same samples, in the same order, with the same labels, are needed)")
	}
	if err := sameShape(m.Network, net); err != nil {
		return nil, fail("%v", err)
	}
	ps := params(net)
	for i, p := range params(m.Network) {
		ps[i].Copy(p)
	}
	extra := map[string][]float32{}
	for _, e := range m.Extra {
		extra[e.Name] = e.Values
	}
	st := optim.State[float32]{Steps: ck.Steps}
	for j := range ck.Buffers {
		var bufs [][]float32
		for i, p := range ps {
			name := "optimizer/" + strconv.Itoa(j) + "/" + strconv.Itoa(i)
			b, ok := extra[name]
			if !ok || len(b) != p.Rows()*p.Cols() {
				return nil, fail("extra block %q is missing or has %d values, want %d", name, len(b), p.Rows()*p.Cols())
			}
			bufs = append(bufs, slices.Clone(b))
		}
		st.Buffers = append(st.Buffers, bufs)
	}
	sf, ok := opt.(optim.Stateful[float32])
	if !ok {
		return nil, fail("optimizer %s cannot restore its state", rec.Optimizer)
	}
	if err := sf.SetState(st); err != nil {
		return nil, fail("%v", err)
	}
	out := &train.Checkpoint[float32]{History: ck.History.history()}
	if _, ok := extra["best/1/W"]; ok {
		best := net.Clone()
		for i, l := range best.Layers {
			for _, p := range []struct {
				name string
				m    *tensor.Dense[float32]
			}{{"W", l.W}, {"b", l.B}} {
				if p.m == nil {
					continue
				}
				name := fmt.Sprintf("best/%d/%s", i+1, p.name)
				v, ok := extra[name]
				if !ok || len(v) != len(p.m.Data()) {
					return nil, fail("extra block %q is missing or has %d values, want %d", name, len(v), len(p.m.Data()))
				}
				copy(p.m.Data(), v)
			}
		}
		out.Best = best
	}
	return out, nil
}

// sameShape returns an error if the checkpoint's network c is not shaped
// like the network n that the options and data build.
func sameShape(c, n *nn.Network[float32]) error {
	describe := func(net *nn.Network[float32]) string {
		var parts []string
		parts = append(parts, strconv.Itoa(net.Inputs()))
		for _, l := range net.Layers {
			parts = append(parts, fmt.Sprintf("%d %s", l.Outputs(), l.Activation))
		}
		return strings.Join(parts, " → ")
	}
	if describe(c) != describe(n) || c.Loss != n.Loss {
		return fmt.Errorf("the checkpoint's network is %s (%s loss), the data and options make %s (%s loss)", describe(c), c.Loss, describe(n), n.Loss)
	}
	for i, l := range c.Layers {
		if (l.B == nil) != (n.Layers[i].B == nil) {
			return fmt.Errorf("layer %d of the checkpoint's network differs in having a bias", i+1)
		}
	}
	return nil
}
