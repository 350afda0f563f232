package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
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
//   - its training record (Model.Training, a JSON object) has a
//     "checkpoint" member, a CheckpointRecord: a digest of the training
//     data, the optimizer's step count and the history so far;
//   - extra blocks "optimizer/J/I" hold buffer J (a momentum, a running
//     average …) of parameter I, numbered from 0 in the order of
//     (*nn.Network).Params: W1, b1, W2 …;
//   - extra blocks "best/L/W" and "best/L/b" hold layer L's parameters at
//     the best epoch (1-based L), when early stopping keeps them.
//
// NewCheckpoint makes one from the state train.Fit hands its Checkpoint
// callback; Resume puts it back into a network and an optimizer and
// returns what train.Config.Resume takes.

// ErrCheckpoint is wrapped by the errors of NewCheckpoint and Resume: a
// model that is not a checkpoint, or one that does not fit the network,
// optimizer or data it is to continue with.
var ErrCheckpoint = errors.New("invalid checkpoint")

// CheckpointRecord is the "checkpoint" member of a checkpoint's training
// record: what Resume needs beyond the parameters and extra blocks.
type CheckpointRecord struct {
	// Data is DataDigest of the training data, or "" when the run did not
	// record one.
	Data    string        `json:"data"`
	Steps   int           `json:"optimizer_steps"`   // optimizer steps taken
	Buffers int           `json:"optimizer_buffers"` // state buffers per parameter
	History HistoryRecord `json:"history"`
}

// HistoryRecord is a train.History as JSON, where NaN cannot appear.
type HistoryRecord struct {
	Epochs       []EpochRecord `json:"epochs"`
	BestEpoch    int           `json:"best_epoch"`
	StoppedEarly bool          `json:"stopped_early"`
}

// EpochRecord is a train.EpochStats as JSON; nil stands for NaN (no
// validation data, or a regressor's accuracy). encoding/json writes
// float64s so that they read back bit for bit.
type EpochRecord struct {
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

// NewHistoryRecord returns h as a HistoryRecord.
func NewHistoryRecord(h *train.History) HistoryRecord {
	r := HistoryRecord{BestEpoch: h.BestEpoch, StoppedEarly: h.StoppedEarly, Epochs: []EpochRecord{}}
	for _, e := range h.Epochs {
		r.Epochs = append(r.Epochs, EpochRecord{
			Epoch: e.Epoch, LR: e.LR, Loss: e.Loss,
			Accuracy: orNil(e.Accuracy), ValLoss: orNil(e.ValLoss), ValAccuracy: orNil(e.ValAccuracy),
		})
	}
	return r
}

// History returns the train.History that r records.
func (r HistoryRecord) History() *train.History {
	h := &train.History{BestEpoch: r.BestEpoch, StoppedEarly: r.StoppedEarly}
	for _, e := range r.Epochs {
		h.Epochs = append(h.Epochs, train.EpochStats{
			Epoch: e.Epoch, LR: e.LR, Loss: e.Loss,
			Accuracy: orNaN(e.Accuracy), ValLoss: orNaN(e.ValLoss), ValAccuracy: orNaN(e.ValAccuracy),
		})
	}
	return h
}

// DataDigest identifies training data, in order: a SHA-256 of the shapes
// and the bits of X and Y, as "sha256:" and 64 hex digits. It changes
// with the data, their scaling, the class labels and the order of the
// samples, so that Resume can refuse to continue on other data.
func DataDigest[T tensor.Float](X, Y *tensor.Dense[T]) string {
	return DataDigestWeighted(X, Y, nil)
}

// DataDigestWeighted is DataDigest for data with sample weights w (one
// per row of X, or nil for none): it changes with the weights too, so
// that a run with other weights is not taken for the same run. With nil w
// it is DataDigest.
func DataDigestWeighted[T tensor.Float](X, Y *tensor.Dense[T], w []float64) string {
	h := sha256.New()
	var buf [4096]byte
	_, size := tensor.DType[T]()
	for _, m := range []*tensor.Dense[T]{X, Y} {
		binary.LittleEndian.PutUint64(buf[:8], uint64(m.Rows()))
		binary.LittleEndian.PutUint64(buf[8:16], uint64(m.Cols()))
		h.Write(buf[:16])
		d := m.Data()
		for len(d) > 0 {
			n := min(len(d), len(buf)/size)
			for i, v := range d[:n] {
				if size == 4 {
					binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(float32(v)))
				} else {
					binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(float64(v)))
				}
			}
			h.Write(buf[:size*n])
			d = d[n:]
		}
	}
	if w != nil {
		h.Write([]byte("weights"))
		binary.LittleEndian.PutUint64(buf[:8], uint64(len(w)))
		h.Write(buf[:8])
		for len(w) > 0 {
			n := min(len(w), len(buf)/8)
			for i, v := range w[:n] {
				binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
			}
			h.Write(buf[:8*n])
			w = w[n:]
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// NewCheckpoint returns a checkpoint of a run at the end of an epoch, for
// Save: a copy of base (the model to store: a clone of the network being
// trained and whatever metadata it should carry) with the optimizer's
// state and ck's best parameters as extra blocks, and a "checkpoint"
// member, holding digest (DataDigest of the training data, or "") and
// ck's history, appended to base.Training (a JSON object, or nil for
// none). The optimizer must implement optim.Stateful, as every optimizer
// of package optim does. base is not modified.
//
// A train.Fit user checkpoints in the Config.Checkpoint callback:
//
//	cfg.Checkpoint = func(ck train.Checkpoint[float32]) error {
//		m, err := model.NewCheckpoint(&model.Model[float32]{Network: net.Clone()}, opt, ck, "")
//		if err != nil {
//			return err
//		}
//		return model.Save("run.ckpt", m)
//	}
func NewCheckpoint[T tensor.Float](base *Model[T], opt optim.Optimizer[T], ck train.Checkpoint[T], digest string) (*Model[T], error) {
	if base == nil || base.Network == nil || ck.History == nil {
		return nil, fmt.Errorf("%w: NewCheckpoint needs a model with a network and the run's history", ErrCheckpoint)
	}
	sf, ok := opt.(optim.Stateful[T])
	if !ok {
		return nil, fmt.Errorf("%w: optimizer %T cannot save its state", ErrCheckpoint, opt)
	}
	st := sf.State()
	rec := CheckpointRecord{Data: digest, Steps: st.Steps, Buffers: len(st.Buffers), History: NewHistoryRecord(ck.History)}
	training, err := withMember(base.Training, "checkpoint", rec)
	if err != nil {
		return nil, err
	}
	m := *base
	m.Training = training
	m.Extra = slices.Clip(base.Extra)
	for j, bufs := range st.Buffers {
		for i, b := range bufs {
			m.Extra = append(m.Extra, Extra[T]{Name: fmt.Sprintf("optimizer/%d/%d", j, i), Values: b})
		}
	}
	if ck.Best != nil {
		for i, l := range ck.Best.Layers {
			m.Extra = append(m.Extra, Extra[T]{Name: fmt.Sprintf("best/%d/W", i+1), Values: slices.Clone(l.W.Data())})
			if l.B != nil {
				m.Extra = append(m.Extra, Extra[T]{Name: fmt.Sprintf("best/%d/b", i+1), Values: slices.Clone(l.B.Data())})
			}
		}
	}
	return &m, nil
}

// withMember returns the JSON object obj (nil for {}) with the member
// name: v appended after its own members, whose bytes it keeps as they
// are. It is an error if obj is not an object or already has name.
func withMember(obj json.RawMessage, name string, v any) (json.RawMessage, error) {
	var members map[string]json.RawMessage
	if len(obj) > 0 {
		if err := json.Unmarshal(obj, &members); err != nil || members == nil {
			return nil, fmt.Errorf("%w: the training record is not a JSON object", ErrCheckpoint)
		}
		if _, ok := members[name]; ok {
			return nil, fmt.Errorf("%w: the training record already has a %q member", ErrCheckpoint, name)
		}
	}
	val, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	key, _ := json.Marshal(name)
	body := bytes.TrimSpace(obj)
	var b bytes.Buffer
	if len(members) == 0 {
		b.WriteByte('{')
	} else {
		b.Write(bytes.TrimSpace(body[:len(body)-1]))
		b.WriteByte(',')
	}
	b.Write(key)
	b.WriteByte(':')
	b.Write(val)
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ReadCheckpointRecord returns the checkpoint member of m's training
// record, or an error wrapping ErrCheckpoint if m is not a checkpoint.
func ReadCheckpointRecord[T tensor.Float](m *Model[T]) (*CheckpointRecord, error) {
	if m == nil || m.Network == nil {
		return nil, fmt.Errorf("%w: no model", ErrCheckpoint)
	}
	var rec struct {
		Checkpoint *CheckpointRecord `json:"checkpoint"`
	}
	if err := json.Unmarshal(m.Training, &rec); err != nil || rec.Checkpoint == nil {
		return nil, fmt.Errorf("%w: the model is not a checkpoint (its training record has no checkpoint member)", ErrCheckpoint)
	}
	return rec.Checkpoint, nil
}

// Resume continues from the checkpoint m: it checks that m's network is
// shaped like net, copies m's parameters into net and its optimizer state
// into opt, and returns the train.Checkpoint for train.Config.Resume
// together with m's record (whose Data a caller compares with the
// DataDigest of the data it continues on). Given the same data and
// configuration, train.Fit then reaches the weights an uninterrupted run
// would have. Errors wrap ErrCheckpoint; net and opt are unchanged when
// the checkpoint does not fit them.
func Resume[T tensor.Float](m *Model[T], net *nn.Network[T], opt optim.Optimizer[T]) (*train.Checkpoint[T], *CheckpointRecord, error) {
	rec, err := ReadCheckpointRecord(m)
	if err != nil {
		return nil, nil, err
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrCheckpoint}, a...)...)
	}
	if err := sameShape(m.Network, net); err != nil {
		return nil, nil, fail("%v", err)
	}
	sf, ok := opt.(optim.Stateful[T])
	if !ok {
		return nil, nil, fail("optimizer %T cannot restore its state", opt)
	}
	extra := map[string][]T{}
	for _, e := range m.Extra {
		extra[e.Name] = e.Values
	}
	ps := net.Params(nil)
	st := optim.State[T]{Steps: rec.Steps}
	for j := range rec.Buffers {
		var bufs [][]T
		for i, p := range ps {
			name := "optimizer/" + strconv.Itoa(j) + "/" + strconv.Itoa(i)
			b, ok := extra[name]
			if !ok || len(b) != p.Value.Rows()*p.Value.Cols() {
				return nil, nil, fail("extra block %q is missing or has %d values, want %d", name, len(b), p.Value.Rows()*p.Value.Cols())
			}
			bufs = append(bufs, slices.Clone(b))
		}
		st.Buffers = append(st.Buffers, bufs)
	}
	out := &train.Checkpoint[T]{History: rec.History.History()}
	if _, ok := extra["best/1/W"]; ok {
		best := m.Network.Clone()
		for i, l := range best.Layers {
			for _, p := range []struct {
				name string
				m    *tensor.Dense[T]
			}{{"W", l.W}, {"b", l.B}} {
				if p.m == nil {
					continue
				}
				name := fmt.Sprintf("best/%d/%s", i+1, p.name)
				v, ok := extra[name]
				if !ok || len(v) != len(p.m.Data()) {
					return nil, nil, fail("extra block %q is missing or has %d values, want %d", name, len(v), len(p.m.Data()))
				}
				copy(p.m.Data(), v)
			}
		}
		out.Best = best
	}
	if err := sf.SetState(st); err != nil {
		return nil, nil, fail("%v", err)
	}
	for i, p := range m.Network.Params(nil) {
		ps[i].Value.Copy(p.Value)
	}
	return out, rec, nil
}

// sameShape returns an error if the checkpoint's network c is not shaped
// like the network n it is to continue in.
func sameShape[T tensor.Float](c, n *nn.Network[T]) error {
	describe := func(net *nn.Network[T]) string {
		parts := []string{strconv.Itoa(net.Inputs())}
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
