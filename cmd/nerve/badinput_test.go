package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/data"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// built is the nerve binary and a small trained model, made once per test
// process by nerveBinary and trainedModel, in a directory TestMain removes.
var built struct {
	once     sync.Once
	dir, bin string
	err      error

	modelOnce sync.Once
	model     []byte // a model file trained on trainCSV
	modelErr  error
}

// trainCSV is the table the shared model is trained on: three features,
// two classes.
const trainCSV = `a,b,c,label
1,2,3,x
2,3,4,y
3,4,5,x
4,5,6,y
5,1,2,x
6,2,1,y
1,5,3,x
2,6,4,y
`

// nerveBinary builds the real nerve binary (with the race detector when
// the tests run under it) and returns its path.
func nerveBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "nerve-test-")
		if err != nil {
			built.err = err
			return
		}
		built.dir = dir
		built.bin = filepath.Join(dir, "nerve")
		if runtime.GOOS == "windows" {
			built.bin += ".exe"
		}
		args := []string{"build", "-buildvcs=false", "-o", built.bin}
		if raceEnabled {
			args = append(args, "-race")
		}
		// go test puts its own go command first on PATH.
		gotool, err := exec.LookPath("go")
		if err != nil {
			built.err = err
			return
		}
		out, err := exec.Command(gotool, append(args, ".")...).CombinedOutput()
		if err != nil {
			built.err = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// runNerve runs the binary with args in dir and returns what it wrote and
// its exit status.
func runNerve(t *testing.T, dir string, timeout time.Duration, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	bin := nerveBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("nerve %s: no exit within %v", strings.Join(args, " "), timeout)
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("nerve %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), code
}

// trainedModel returns the bytes of a model file trained for two epochs
// on trainCSV by the real binary.
func trainedModel(t *testing.T) []byte {
	t.Helper()
	nerveBinary(t)
	built.modelOnce.Do(func() {
		dir := filepath.Join(built.dir, "model")
		if built.modelErr = os.Mkdir(dir, 0o755); built.modelErr != nil {
			return
		}
		if built.modelErr = os.WriteFile(filepath.Join(dir, "train.csv"), []byte(trainCSV), 0o644); built.modelErr != nil {
			return
		}
		_, stderr, code := runNerve(t, dir, time.Minute, "train", "--data", "train.csv", "--hidden", "4", "--epochs", "2", "--quiet", "--out", "m.nerve")
		if code != 0 {
			built.modelErr = errors.New("nerve train: " + stderr)
			return
		}
		built.model, built.modelErr = os.ReadFile(filepath.Join(dir, "m.nerve"))
	})
	if built.modelErr != nil {
		t.Fatal(built.modelErr)
	}
	return built.model
}

// Model files for the predict and evaluate rows, made from the trained
// model's bytes.
const (
	goodModel      = "good"
	truncatedModel = "truncated" // cut in the middle of the parameters
	corruptedModel = "corrupted" // one bit of a parameter flipped
	versionModel   = "version"   // the preamble's version set to 2
	emptyModel     = "empty"     // zero bytes
)

func modelVariant(t *testing.T, kind string) []byte {
	t.Helper()
	b := slices.Clone(trainedModel(t))
	switch kind {
	case goodModel:
	case truncatedModel:
		b = b[:len(b)-12]
	case corruptedModel:
		b[len(b)-10] ^= 0x40 // inside the last parameter, before the CRC
	case versionModel:
		b[8] = 2 // the version is the little-endian uint32 at offset 8
	case emptyModel:
		b = nil
	default:
		t.Fatalf("unknown model variant %q", kind)
	}
	return b
}

// TestBadInput runs the real binary on each kind of bad input a user can
// give it. Every one must fail with exactly one line on stderr that
// starts with "nerve: " and names the file, line, column or flag; exit
// status 1 (2 for a bad command line); no panic or stack trace; nothing on
// stdout; and no file written, not even a temporary one.
//
// Each row runs in its own directory, which holds the row's files, its
// model variant as model.nerve, and an empty subdirectory out/ for the
// outputs.
func TestBadInput(t *testing.T) {
	eval := "a,b,c,label\n1,2,3,x\n2,3,4,z\n"
	two := "a,b\n1,2\n3,4\n"
	tests := []struct {
		name       string
		files      map[string]string
		model      string // a model variant written to model.nerve, or ""
		unreadable string // one of the files, made unreadable (mode 0)
		setup      func(t *testing.T, dir string)
		within     time.Duration // how soon it must exit; a minute if 0
		args       []string
		code       int
		want       []string // substrings of the stderr line
	}{
		// The data file.
		{name: "empty file", files: map[string]string{"empty.csv": ""},
			args: []string{"train", "--data", "empty.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"empty.csv", "empty file"}},
		{name: "header only", files: map[string]string{"h.csv": "a,b,label\n"},
			args: []string{"train", "--data", "h.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"h.csv:1:", "header only"}},
		{name: "ragged row", files: map[string]string{"r.csv": "a,b,label\n1,2,x\n3,y\n4,5,x\n"},
			args: []string{"train", "--data", "r.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"r.csv:3:", "2 fields", "header has 3"}},
		// Text and missing cells make a raw table (its preprocessing
		// is fitted); these are what such a table cannot have.
		{name: "text cells, missing target", files: map[string]string{"n.csv": "a,b,label\n1,foo,x\n3,bar,NA\n"},
			args: []string{"train", "--data", "n.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"n.csv:3:3 (label)", `missing target ("NA")`}},
		{name: "categorical target of one class", files: map[string]string{"one.csv": "a,b,label\n1,foo,x\n3,bar,x\n"},
			args: []string{"train", "--data", "one.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"one.csv: column 3 (label)", `every target is "x"`, "two classes"}},
		{name: "too many categories", files: map[string]string{"ids.csv": manyCategories(data.MaxCategories + 1)},
			args: []string{"train", "--data", "ids.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"ids.csv: column 1 (ticket)", "10001 distinct categories", "drop"}},
		{name: "target column all missing", files: map[string]string{"t.csv": "a,b,label\n1,foo,NA\n3,bar,\n"},
			args: []string{"train", "--data", "t.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"t.csv: column 3 (label)", "every target cell is missing"}},
		{name: "predict: a column the table model needs", files: map[string]string{"new.csv": "a,label\n1,x\n"},
			setup: tableModelFile("table.nerve"),
			args:  []string{"predict", "--model", "table.nerve", "--data", "new.csv", "--out", "out/p.csv"},
			code:  1, want: []string{"new.csv (b)", "the column is missing", "the columns are a, label"}},
		{name: "--drop names a column the file lacks", files: map[string]string{"n.csv": "a,b,label\n1,foo,x\n3,bar,y\n"},
			args: []string{"train", "--data", "n.csv", "--drop", "c", "--out", "out/m.nerve"},
			code: 2, want: []string{"--drop c", `no column "c"`, "a, b, label"}},
		{name: "Inf cell", files: map[string]string{"inf.csv": "a,b,label\n1,-Inf,x\n3,4,y\n"},
			args: []string{"train", "--data", "inf.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"inf.csv:2:2 (b)", "infinite"}},
		{name: "column all missing", files: map[string]string{"e.csv": "a,b,label\n,2,x\n?,4,y\n"},
			args: []string{"train", "--data", "e.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"e.csv: column 1 (a)", "every cell is missing"}},
		{name: "empty target cell", files: map[string]string{"e.csv": "a,b,label\n1,2,x\n3,4,\n"},
			args: []string{"train", "--data", "e.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"e.csv:3:3 (label)", "missing target"}},
		{name: "NaN regression target", files: map[string]string{"y.csv": "a,b,y\n1,2,0.5\n3,4,nan\n"},
			args: []string{"train", "--data", "y.csv", "--task", "regression", "--out", "out/m.nerve"},
			code: 1, want: []string{"y.csv:3:3 (y)", `missing target ("nan")`}},
		{name: "gzip cut short", files: map[string]string{"t.csv.gz": "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"},
			args: []string{"train", "--data", "t.csv.gz", "--out", "out/m.nerve"},
			code: 1, want: []string{"t.csv.gz", "gzip"}},
		{name: "unknown target column", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--target", "kind", "--out", "out/m.nerve"},
			code: 1, want: []string{"train.csv", `no column named "kind"`, "a, b, c, label"}},
		{name: "target index out of range", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--target", "9", "--out", "out/m.nerve"},
			code: 1, want: []string{"train.csv", "index 9", "4 columns"}},
		{name: "one class", files: map[string]string{"one.csv": "a,b,label\n1,2,x\n3,4,x\n5,6,x\n"},
			args: []string{"train", "--data", "one.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"one.csv", "column 3 (label)", `every target is "x"`, "two classes"}},
		{name: "text target for regression", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--task", "regression", "--out", "out/m.nerve"},
			code: 1, want: []string{"train.csv:2:4 (label)", `"x"`}},
		{name: "test file with another feature count", files: map[string]string{"train.csv": trainCSV, "two.csv": "a,b,label\n1,2,x\n3,4,y\n"},
			args: []string{"train", "--data", "train.csv", "--test", "two.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"two.csv", "2 feature columns", "has 3"}},
		{name: "test file with an unseen class", files: map[string]string{"train.csv": trainCSV, "test.csv": eval},
			args: []string{"train", "--data", "train.csv", "--test", "test.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"test.csv", "sample 2", `"z"`}},
		{name: "IDX labels and images differ in count", files: map[string]string{
			"img-idx3-ubyte": "\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x02\x00\xff\x80\x10",
			"lab-idx1-ubyte": "\x00\x00\x08\x01\x00\x00\x00\x03\x00\x01\x02"},
			args: []string{"train", "--data", "img-idx3-ubyte", "--labels", "lab-idx1-ubyte", "--out", "out/m.nerve"},
			code: 1, want: []string{"lab-idx1-ubyte", "3 labels", "2 images"}},
		{name: "CSV given as IDX images", files: map[string]string{"train.csv": trainCSV, "lab-idx1-ubyte": "\x00\x00\x08\x01\x00\x00\x00\x01\x00"},
			args: []string{"train", "--data", "train.csv", "--labels", "lab-idx1-ubyte", "--out", "out/m.nerve"},
			code: 1, want: []string{"train.csv", "not an IDX file"}},

		// Paths.
		{name: "data is a directory", files: map[string]string{"dir/x": ""},
			args: []string{"train", "--data", "dir", "--out", "out/m.nerve"},
			code: 1, want: []string{"dir", "is a directory"}},
		{name: "data inside a file", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv/x", "--out", "out/m.nerve"},
			code: 1, want: []string{"train.csv/x", "not a directory"}},
		{name: "data missing", args: []string{"train", "--data", "missing.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"missing.csv", "no such file"}},
		{name: "data unreadable", files: map[string]string{"train.csv": trainCSV}, unreadable: "train.csv",
			args: []string{"train", "--data", "train.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"train.csv", "permission denied"}},
		{name: "model out in a missing directory", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--epochs", "1", "--out", "out/none/m.nerve"},
			code: 1, want: []string{"--out out/none/m.nerve", "directory out/none does not exist"}},
		{name: "model out is a directory", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--epochs", "1", "--out", "out"},
			code: 1, want: []string{"--out out", "is a directory"}},
		{name: "predictions out in a missing directory", files: map[string]string{"train.csv": trainCSV}, model: goodModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "train.csv", "--out", "out/none/p.csv"},
			code: 1, want: []string{"--out out/none/p.csv", "directory out/none does not exist"}},

		// Predicting and evaluating.
		{name: "predict: another feature count", files: map[string]string{"two.csv": two}, model: goodModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "two.csv", "--out", "out/p.csv"},
			code: 1, want: []string{"two.csv", `no column named "c"`, "trained on (a, b, c)"}},
		{name: "predict: another feature count to stdout", files: map[string]string{"two.csv": two}, model: goodModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "two.csv"},
			code: 1, want: []string{"two.csv", `no column named "c"`}},
		{name: "predict: NaN in the training file", files: map[string]string{"nan.csv": "a,b,c,label\n1,2,3,x\n2,NaN,4,y\n"}, model: goodModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "nan.csv", "--out", "out/p.csv"},
			code: 1, want: []string{"nan.csv:3:2 (b)", "NaN"}},
		{name: "predict: header only", files: map[string]string{"h.csv": "a,b,c\n"}, model: goodModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "h.csv", "--out", "out/p.csv"},
			code: 1, want: []string{"h.csv:1:", "header only"}},
		{name: "evaluate: unseen class", files: map[string]string{"eval.csv": eval}, model: goodModel,
			args: []string{"evaluate", "--model", "model.nerve", "--data", "eval.csv"},
			code: 1, want: []string{"eval.csv", "sample 2", `"z"`, "2 classes"}},
		{name: "evaluate: another feature count", files: map[string]string{"two.csv": "a,b,label\n1,2,x\n3,4,y\n"}, model: goodModel,
			args: []string{"evaluate", "--model", "model.nerve", "--data", "two.csv"},
			code: 1, want: []string{"two.csv", `no column named "c"`}},
		{name: "evaluate: NaN with the target first", files: map[string]string{"nan.csv": "label,a,b,c\nx,1,2,3\ny,2,NaN,4\n"}, model: goodModel,
			args: []string{"evaluate", "--model", "model.nerve", "--data", "nan.csv"},
			code: 1, want: []string{"nan.csv:3:3 (b)", "NaN"}},
		{name: "evaluate: unknown target", files: map[string]string{"train.csv": trainCSV}, model: goodModel,
			args: []string{"evaluate", "--model", "model.nerve", "--data", "train.csv", "--target", "kind"},
			code: 1, want: []string{"train.csv", `no column named "kind"`}},

		// The model file.
		{name: "truncated model", files: map[string]string{"train.csv": trainCSV}, model: truncatedModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "train.csv", "--out", "out/p.csv"},
			code: 1, want: []string{"model.nerve", "truncated"}},
		{name: "corrupted model", files: map[string]string{"train.csv": trainCSV}, model: corruptedModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "train.csv", "--out", "out/p.csv"},
			code: 1, want: []string{"model.nerve", "corrupted", "CRC-32"}},
		{name: "corrupted model in evaluate", files: map[string]string{"train.csv": trainCSV}, model: corruptedModel,
			args: []string{"evaluate", "--model", "model.nerve", "--data", "train.csv"},
			code: 1, want: []string{"model.nerve", "corrupted"}},
		{name: "corrupted model in inspect", model: corruptedModel,
			args: []string{"inspect", "model.nerve"},
			code: 1, want: []string{"model.nerve", "corrupted"}},
		{name: "model of a newer version", files: map[string]string{"train.csv": trainCSV}, model: versionModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "train.csv", "--out", "out/p.csv"},
			code: 1, want: []string{"model.nerve", "version 2"}},
		{name: "empty model file", files: map[string]string{"train.csv": trainCSV}, model: emptyModel,
			args: []string{"evaluate", "--model", "model.nerve", "--data", "train.csv"},
			code: 1, want: []string{"model.nerve", "truncated", "0 bytes"}},
		{name: "CSV as the model", files: map[string]string{"train.csv": trainCSV},
			args: []string{"predict", "--model", "train.csv", "--data", "train.csv", "--out", "out/p.csv"},
			code: 1, want: []string{"train.csv", "not a nerve model file"}},
		{name: "model is a directory", files: map[string]string{"train.csv": trainCSV, "dir/x": ""},
			args: []string{"predict", "--model", "dir", "--data", "train.csv", "--out", "out/p.csv"},
			code: 1, want: []string{"dir", "is a directory"}},
		{name: "model missing", files: map[string]string{"train.csv": trainCSV},
			args: []string{"evaluate", "--model", "missing.nerve", "--data", "train.csv"},
			code: 1, want: []string{"missing.nerve", "no such file"}},
		{name: "model unreadable", files: map[string]string{"train.csv": trainCSV}, model: goodModel, unreadable: "model.nerve",
			args: []string{"predict", "--model", "model.nerve", "--data", "train.csv", "--out", "out/p.csv"},
			code: 1, want: []string{"model.nerve", "permission denied"}},

		// The command line.
		{name: "--batch 0", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--batch", "0", "--out", "out/m.nerve"},
			code: 2, want: []string{"--batch", `"0"`, "≥ 1"}},
		{name: "negative --epochs", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--epochs", "-3", "--out", "out/m.nerve"},
			code: 2, want: []string{"--epochs", `"-3"`}},
		{name: "--epochs 0", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--epochs", "0", "--out", "out/m.nerve"},
			code: 2, want: []string{"--epochs", "≥ 1"}},
		{name: "--val 1.5", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--val", "1.5", "--out", "out/m.nerve"},
			code: 2, want: []string{"--val", `"1.5"`, "[0, 1)"}},
		{name: "unknown optimizer", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--optimizer", "adamax", "--out", "out/m.nerve"},
			code: 2, want: []string{"--optimizer", `"adamax"`, "adam"}},
		{name: "unknown activation", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--activation", "gelu", "--out", "out/m.nerve"},
			code: 2, want: []string{"--activation", `"gelu"`, "relu"}},
		{name: "bad --hidden", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--hidden", "64,0", "--out", "out/m.nerve"},
			code: 2, want: []string{"--hidden", "element 2"}},
		{name: "--lr 0", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--lr", "0", "--out", "out/m.nerve"},
			code: 2, want: []string{"--lr", "> 0"}},
		{name: "unknown --task", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--task", "clustering", "--out", "out/m.nerve"},
			code: 2, want: []string{"--task", `"clustering"`}},
		{name: "--labels without --data",
			args: []string{"train", "--labels", "lab-idx1-ubyte", "--out", "out/m.nerve"},
			code: 2, want: []string{"--labels", "--data"}},
		{name: "unknown flag", files: map[string]string{"train.csv": trainCSV}, model: goodModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "train.csv", "--out", "out/p.csv", "--probability"},
			code: 2, want: []string{"predict:", "-probability"}},
		{name: "predict without --model", files: map[string]string{"train.csv": trainCSV},
			args: []string{"predict", "--data", "train.csv", "--out", "out/p.csv"},
			code: 2, want: []string{"--model", "required"}},
		{name: "inspect without a file",
			args: []string{"inspect"},
			code: 2, want: []string{"inspect", "one model file"}},

		// Issue 13.1: an output that is also an input.
		{name: "train --out is --data", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--out", "./train.csv"},
			code: 2, want: []string{"--out ./train.csv", "--data train.csv", "same file"}},
		{name: "train --out is --data through a link", files: map[string]string{"train.csv": trainCSV}, setup: symlink("link.csv", "train.csv"),
			args: []string{"train", "--data", "train.csv", "--out", "link.csv"},
			code: 2, want: []string{"--out link.csv", "--data train.csv", "same file"}},
		{name: "train --out is --test", files: map[string]string{"train.csv": trainCSV, "t.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--test", "t.csv", "--out", "t.csv"},
			code: 2, want: []string{"--out t.csv", "--test t.csv"}},
		{name: "train --checkpoint is --data", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--checkpoint", "train.csv", "--out", "out/m.nerve"},
			code: 2, want: []string{"--checkpoint train.csv", "--data train.csv"}},
		{name: "train --out is --checkpoint", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--checkpoint", "out/x", "--out", "out/x"},
			code: 2, want: []string{"--checkpoint out/x", "--out out/x"}},
		{name: "predict --out is --data", files: map[string]string{"train.csv": trainCSV}, model: goodModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "train.csv", "--out", "train.csv"},
			code: 2, want: []string{"--out train.csv", "--data train.csv"}},
		{name: "predict --out is --model", files: map[string]string{"train.csv": trainCSV}, model: goodModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "train.csv", "--out", "model.nerve"},
			code: 2, want: []string{"--out model.nerve", "--model model.nerve"}},

		{name: "export --out is --model", model: goodModel,
			args: []string{"export", "--model", "model.nerve", "--out", "model.nerve"},
			code: 2, want: []string{"--out model.nerve", "--model model.nerve"}},
		{name: "import --out is --model", files: map[string]string{"m.onnx": "not read"},
			args: []string{"import", "--model", "m.onnx", "--out", "./m.onnx"},
			code: 2, want: []string{"--out ./m.onnx", "--model m.onnx"}},

		// Issue 13.2: a device is written through, its errors reported.
		{name: "predict --out a full device", files: map[string]string{"train.csv": trainCSV}, model: goodModel, setup: fullDevice("full"),
			args: []string{"predict", "--model", "model.nerve", "--data", "train.csv", "--out", "full"},
			code: 1, want: []string{"full", "no space left"}},

		// Issue 13.4: columns by name, never by position when named.
		{name: "predict: a feature named twice", files: map[string]string{"d.csv": "a,b,a,c\n1,2,3,4\n5,6,7,8\n"}, model: goodModel,
			args: []string{"predict", "--model", "model.nerve", "--data", "d.csv"},
			code: 1, want: []string{"d.csv", "columns 1 and 3", `"a"`}},
		{name: "evaluate: a feature missing", files: map[string]string{"d.csv": "a,b,d,label\n1,2,3,x\n5,6,7,y\n"}, model: goodModel,
			args: []string{"evaluate", "--model", "model.nerve", "--data", "d.csv"},
			code: 1, want: []string{"d.csv", `no column named "c"`}},

		// Issue 13.5: a loss that explodes stops training.
		{name: "train --lr 1e6 diverges", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--optimizer", "adam", "--lr", "1e6", "--quiet", "--out", "out/m.nerve"},
			code: 1, want: []string{"exploded", "learning rate is probably too high"}},

		// Issue 13.6 and 7: bounded memory and time on endless input.
		{name: "train on /dev/zero", setup: need("/dev/zero"), within: 20 * time.Second,
			args: []string{"train", "--data", "/dev/zero", "--out", "out/m.nerve"},
			code: 1, want: []string{"/dev/zero:1", "line too long", "16 MiB"}},
		{name: "predict on /dev/zero", model: goodModel, setup: need("/dev/zero"), within: 20 * time.Second,
			args: []string{"predict", "--model", "model.nerve", "--data", "/dev/zero"},
			code: 1, want: []string{"/dev/zero:1", "line too long"}},
		{name: "evaluate on a 2 GiB sparse file", model: goodModel, setup: sparse("big.csv", 2<<30), within: 20 * time.Second,
			args: []string{"evaluate", "--model", "model.nerve", "--data", "big.csv"},
			code: 1, want: []string{"big.csv:1", "line too long"}},
		{name: "inspect /dev/zero", setup: need("/dev/zero"), within: 20 * time.Second,
			args: []string{"inspect", "/dev/zero"},
			code: 1, want: []string{"/dev/zero", "not a nerve model file"}},

		// Issue 13.8: limits checked before training.
		{name: "a network too big to save", files: map[string]string{"train.csv": trainCSV}, within: 20 * time.Second,
			args: []string{"train", "--data", "train.csv", "--hidden", "1000000000", "--out", "out/m.nerve"},
			code: 2, want: []string{"--hidden 1000000000", "more parameters than a model file holds"}},
		{name: "two layers too big to save", files: map[string]string{"train.csv": trainCSV}, within: 20 * time.Second,
			args: []string{"train", "--data", "train.csv", "--hidden", "16500,16500", "--out", "out/m.nerve"},
			code: 2, want: []string{"--hidden 16500,16500", "more parameters"}},
		{name: "50 000 columns", files: map[string]string{"wide.csv": wideCSV(50000)}, within: 30 * time.Second,
			args: []string{"train", "--data", "wide.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"wide.csv", "50001 columns", "model header"}},
		{name: "a 2 MiB label", files: map[string]string{"l.csv": "a,b\n1,x\n2," + strings.Repeat("y", 2<<20) + "\n"},
			args: []string{"train", "--data", "l.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"l.csv:3:2", "field longer than 1 MiB"}},
		{name: "a header cell not UTF-8", files: map[string]string{"u.csv": "a,\xff\xfe,label\n1,2,x\n3,4,y\n"},
			args: []string{"train", "--data", "u.csv", "--out", "out/m.nerve"},
			code: 1, want: []string{"u.csv:1:2", "not valid UTF-8"}},
		{name: "IDX images wider than the model", model: goodModel, files: map[string]string{
			"img-idx3-ubyte": "\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x75\x30\x00\x00\x75\x30"},
			args: []string{"predict", "--model", "model.nerve", "--data", "img-idx3-ubyte"},
			code: 1, want: []string{"img-idx3-ubyte", "has 900000000 feature columns", "trained on 3"}},

		// Issue 13.9: outputs checked before training.
		{name: "train --out empty", files: map[string]string{"train.csv": trainCSV},
			args: []string{"train", "--data", "train.csv", "--out", ""},
			code: 2, want: []string{"--out", "empty file name"}},
		{name: "train --out where no file can be made", files: map[string]string{"train.csv": trainCSV}, setup: need("/proc/self"),
			args: []string{"train", "--data", "train.csv", "--out", "/proc/m.nerve"},
			code: 1, want: []string{"--out /proc/m.nerve", "cannot create a file in /proc"}},

		// Issue 13.11: what is wrong, with the file named.
		{name: "gzip with a flipped byte", files: map[string]string{"t.csv.gz": flippedGzip(trainCSV + strings.Repeat("7,8,9,x\n3,4,5,y\n", 500))},
			args: []string{"train", "--data", "t.csv.gz", "--out", "out/m.nerve"},
			code: 1, want: []string{"t.csv.gz", "gzip"}},
		{name: "IDX labels of one class", files: map[string]string{
			"img-idx3-ubyte": "\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x02\x00\xff\x80\x10",
			"lab-idx1-ubyte": "\x00\x00\x08\x01\x00\x00\x00\x02\x07\x07"},
			args: []string{"train", "--data", "img-idx3-ubyte", "--labels", "lab-idx1-ubyte", "--out", "out/m.nerve"},
			code: 1, want: []string{"lab-idx1-ubyte", "every label is 7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, contents := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(contents), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.model != "" {
				if err := os.WriteFile(filepath.Join(dir, "model.nerve"), modelVariant(t, tt.model), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.unreadable != "" {
				p := filepath.Join(dir, tt.unreadable)
				if err := os.Chmod(p, 0); err != nil {
					t.Fatal(err)
				}
				if f, err := os.Open(p); err == nil {
					f.Close()
					t.Skipf("a file with mode 0 is readable here (running as root?); the row %q covers paths that cannot be opened", "data inside a file")
				}
			}
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			inputs := listTree(t, dir) // what dir holds before the run

			within := tt.within
			if within == 0 {
				within = time.Minute
			}
			stdout, stderr, code := runNerve(t, dir, within, tt.args...)
			cmdline := "nerve " + strings.Join(tt.args, " ")
			if code != tt.code {
				t.Errorf("%s: exit status %d; want %d (stderr %q)", cmdline, code, tt.code, stderr)
			}
			if !strings.HasPrefix(stderr, "nerve: ") || !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%s: stderr %q; want exactly one line \"nerve: ...\"", cmdline, stderr)
			}
			for _, bad := range []string{"goroutine", "panic", ".go:"} {
				if strings.Contains(stderr, bad) {
					t.Errorf("%s: stderr mentions %q:\n%s", cmdline, bad, stderr)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("%s: stderr %q; want it to contain %q", cmdline, stderr, w)
				}
			}
			if stdout != "" {
				t.Errorf("%s: stdout %q; want nothing", cmdline, stdout)
			}
			if got := listTree(t, dir); !slices.Equal(got, inputs) {
				t.Errorf("%s: the directory holds %q afterwards; want only the inputs %q", cmdline, got, inputs)
			}
		})
	}
}

// symlink returns a setup that makes a symbolic link name to target.
func symlink(name, target string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("symlink: %v", err)
		}
	}
}

// fullDevice returns a setup that makes name a device like /dev/full:
// when running as root a node of its own (so that a binary that replaced
// devices would not replace the system's /dev/full), else a link to
// /dev/full, which only root could replace.
func fullDevice(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		fi, err := os.Stat("/dev/full")
		if err != nil {
			t.Skipf("/dev/full: %v", err)
		}
		p := filepath.Join(dir, name)
		if os.Geteuid() != 0 {
			if err := os.Symlink("/dev/full", p); err != nil {
				t.Skip(err)
			}
			return
		}
		if err := mknodLike(p, fi); err != nil {
			t.Skipf("mknod: %v", err)
		}
	}
}

// need returns a setup that skips the row where path does not exist.
func need(path string) func(*testing.T, string) {
	return func(t *testing.T, _ string) {
		if _, err := os.Stat(path); err != nil {
			t.Skipf("%s: %v", path, err)
		}
	}
}

// sparse returns a setup that makes a file of size zero bytes, sparse
// where the file system allows, as name.
func sparse(name string, size int64) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil {
			t.Skipf("truncate: %v", err)
		}
	}
}

// manyCategories returns a table whose first column, ticket, holds n
// distinct text values, and a two-class label.
func manyCategories(n int) string {
	var b strings.Builder
	b.WriteString("ticket,fare,label\n")
	for i := range n {
		fmt.Fprintf(&b, "T%d,%d,%c\n", i, i%7, 'x'+byte(i%2))
	}
	return b.String()
}

// tableModelFile returns a setup that trains a model on a raw table of
// columns a (numbers), b (text) and label, and saves it as name.
func tableModelFile(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		src := filepath.Join(dir, "table-train.csv")
		if err := os.WriteFile(src, []byte("a,b,label\n1,foo,x\n2,bar,y\n3,foo,x\n4,bar,y\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := runNerve(t, dir, time.Minute, "train", "--data", "table-train.csv", "--epochs", "1", "--quiet", "--out", name); code != 0 {
			t.Fatalf("nerve train: %s", stderr)
		}
	}
}

// wideCSV returns a table of n feature columns and a label, two rows.
func wideCSV(n int) string {
	var b strings.Builder
	for j := range n {
		fmt.Fprintf(&b, "feature%d,", j+1)
	}
	b.WriteString("label\n")
	for i := range 2 {
		b.WriteString(strings.Repeat("1,", n))
		fmt.Fprintf(&b, "%c\n", 'x'+i)
	}
	return b.String()
}

// flippedGzip returns text gzipped with one byte in the middle of the
// compressed data flipped.
func flippedGzip(text string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(text))
	zw.Close()
	z := b.Bytes()
	z[len(z)/2] ^= 0x10
	return string(z)
}

// listTree returns the sorted slash-separated paths of everything under
// dir, directories included.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			paths = append(paths, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	return paths
}
