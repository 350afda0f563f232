package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nerve-ml/nerve/model"
)

func inspectAbout(w io.Writer) {
	fmt.Fprint(w, `Inspect checks a model file (magic, version, checksum, header) and prints
its network summary, classes, scaling, training configuration and final
metrics.

Given a CSV table instead (a file named .csv or .tsv, optionally .gz,
that does not start with a model file's magic), it describes its
columns as "nerve describe" does with its default flags.
`)
}

// isTablePath reports whether path names a CSV table rather than a model
// file: its name ends in .csv or .tsv (optionally .gz) and its first
// bytes are not a model file's magic, so a model saved under such a
// name is still inspected as a model.
func isTablePath(path string) bool {
	name := strings.TrimSuffix(strings.ToLower(path), ".gz")
	if !strings.HasSuffix(name, ".csv") && !strings.HasSuffix(name, ".tsv") {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return true // describe says why it cannot be read
	}
	defer f.Close()
	b := make([]byte, len(model.Magic))
	n, _ := io.ReadFull(f, b)
	return string(b[:n]) != model.Magic
}

func runInspect(_ context.Context, pos []string, stdout, _ io.Writer) error {
	if len(pos) != 1 {
		return usagef("inspect: want one model file, got %d arguments", len(pos))
	}
	if isTablePath(pos[0]) {
		return describeTable(pos[0], &describeConfig{task: "auto"}, stdout)
	}
	h, file, err := readModelFile(pos[0])
	if err != nil {
		return err
	}
	var summary string
	if h.DType == "float32" {
		summary, err = summarize[float32](pos[0], file)
	} else {
		summary, err = summarize[float64](pos[0], file)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s version %d, %s parameters\n\n", pos[0], h.Format, h.Version, h.DType)
	fmt.Fprintln(stdout, summary)
	if len(h.Training) > 0 {
		training, note := checkpointNote(h.Training)
		var b bytes.Buffer
		if json.Indent(&b, training, "", "  ") == nil {
			fmt.Fprintf(stdout, "\ntraining:\n%s\n", b.String())
		}
		if note != "" {
			fmt.Fprintf(stdout, "\n%s\n", note)
		}
	}
	return nil
}

// checkpointNote takes a checkpoint's state out of a training record,
// whose per-epoch history would fill the screen, and returns the record
// without it and one line about it ("" for a model that is not a
// checkpoint).
func checkpointNote(training json.RawMessage) (json.RawMessage, string) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(training, &obj) != nil || obj["checkpoint"] == nil {
		return training, ""
	}
	var ck struct {
		Data    string `json:"data"`
		Steps   int    `json:"optimizer_steps"`
		History struct {
			Epochs    []json.RawMessage `json:"epochs"`
			BestEpoch int               `json:"best_epoch"`
		} `json:"history"`
	}
	if json.Unmarshal(obj["checkpoint"], &ck) != nil {
		return training, ""
	}
	delete(obj, "checkpoint")
	rest, err := json.Marshal(obj)
	if err != nil {
		return training, ""
	}
	return rest, fmt.Sprintf("checkpoint: after epoch %d (best %d), %d optimizer steps, data %s; continue with nerve train --resume",
		len(ck.History.Epochs), ck.History.BestEpoch, ck.Steps, ck.Data)
}

// summarize decodes the model file's bytes and returns its summary.
func summarize[T float32 | float64](path string, file io.Reader) (string, error) {
	m, err := model.Read[T](file)
	if err != nil {
		return "", namedModelError(path, err)
	}
	return m.Summary(), nil
}
