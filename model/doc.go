// Package model keeps trained networks in files. A Model is an
// nn.Network together with what it takes to use it on raw data: class
// labels, feature names, the standardisation its inputs and targets went
// through in training, the training configuration and final metrics.
//
// Save and Load, WriteTo and Read keep a Model in a self-describing file:
// a preamble (magic, version, header length), a JSON header, the
// parameters as little-endian floats and a CRC-32, described in
// docs/model-format.md and readable from numpy with
// testdata/read_model.py. ReadHeader and LoadHeader read only the header.
// Read checks everything a file says before it trusts it: every error
// wraps ErrFormat and names the field or byte offset at fault.
//
// A checkpoint is a model file with a training run's state added: the
// optimizer's buffers and the history so far. NewCheckpoint makes one from
// what train.Fit hands its Config.Checkpoint callback, and Resume puts it
// back, so that a stopped run continues to the same weights:
//
//	m, _ := model.Load[float32]("run.ckpt")
//	cfg.Resume, _, err = model.Resume(m, net, opt)
//	hist, err := train.Fit(ctx, net, X, Y, cfg)
package model
