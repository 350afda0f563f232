package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/nerve-ml/nerve/nn"
)

func inspectCommand() *command {
	return &command{
		name:  "inspect",
		args:  "MODEL",
		short: "show a model file's header and network summary",
		help:  inspectHelp,
		run:   runInspect,
	}
}

func inspectHelp(w io.Writer) {
	fmt.Fprint(w, `Usage: nerve inspect MODEL

Inspect checks a model file (magic, version, checksum, header) and prints
its network summary, classes, scaling, training configuration and final
metrics.
`)
}

func runInspect(_ context.Context, args []string, stdout, _ io.Writer) error {
	f := newFlagSet("inspect")
	pos, err := f.parse(args)
	if errors.Is(err, errHelp) {
		inspectHelp(stdout)
		return nil
	}
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("inspect: want one model file, got %d arguments", len(pos))
	}
	h, err := nn.LoadHeader(pos[0])
	if err != nil {
		return err
	}
	var summary string
	if h.DType == "float32" {
		m, err := nn.Load[float32](pos[0])
		if err != nil {
			return err
		}
		summary = m.Summary()
	} else {
		m, err := nn.Load[float64](pos[0])
		if err != nil {
			return err
		}
		summary = m.Summary()
	}
	fmt.Fprintf(stdout, "%s: %s version %d, %s parameters\n\n", pos[0], h.Format, h.Version, h.DType)
	fmt.Fprintln(stdout, summary)
	if len(h.Training) > 0 {
		var b bytes.Buffer
		if json.Indent(&b, h.Training, "", "  ") == nil {
			fmt.Fprintf(stdout, "\ntraining:\n%s\n", b.String())
		}
	}
	return nil
}
