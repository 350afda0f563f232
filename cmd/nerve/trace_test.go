package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
)

// traceGolden returns a golden rendering that package trace's tests keep
// (go test ./trace/ -run RenderGolden -update rewrites them).
func traceGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "trace", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTraceGolden checks that "nerve trace" prints the committed
// renderings of the two tutorials, seed 1, byte for byte.
func TestTraceGolden(t *testing.T) {
	tests := []struct {
		args   []string
		golden string
	}{
		{[]string{"trace"}, "hidden_layer.txt.golden"},
		{[]string{"trace", "hidden-layer"}, "hidden_layer.txt.golden"},
		{[]string{"trace", "hidden-layer", "--format", "markdown"}, "hidden_layer.md.golden"},
		{[]string{"trace", "xor", "--seed", "1", "--digits", "4"}, "xor.txt.golden"},
		{[]string{"trace", "--format=markdown", "xor"}, "xor.md.golden"},
	}
	for _, tt := range tests {
		stdout, stderr, code := runCase(t, tt.args...)
		if code != 0 {
			t.Fatalf("nerve %s: exit status %d: %s", strings.Join(tt.args, " "), code, stderr)
		}
		if want := traceGolden(t, tt.golden); stdout != want {
			t.Errorf("nerve %s differs from trace/testdata/%s:\n%s", strings.Join(tt.args, " "), tt.golden, lineDiff(stdout, want))
		}
	}
}

// lineDiff describes the first line where got and want differ.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got " + gl + "\nwant " + wl
		}
	}
	return "no line differs"
}

// TestTraceLayers checks that --layers 4,3,1 with the hidden-layer
// tutorial's data is the hidden-layer trace: same weights, same numbers;
// only the title differs.
func TestTraceLayers(t *testing.T) {
	stdout, stderr, code := runCase(t, "trace", "--layers", "4,3,1", "--activation", "sigmoid",
		"--input", "1,0,1,0; 1,0,1,1; 0,1,0,1", "--target", "1;1;0", "--lr", "0.1")
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	want := traceGolden(t, "hidden_layer.txt.golden")
	_, gotRest, _ := strings.Cut(stdout, "\n")
	_, wantRest, _ := strings.Cut(want, "\n")
	if gotRest != wantRest {
		t.Errorf("--layers 4,3,1 differs from hidden-layer:\n%s", lineDiff(gotRest, wantRest))
	}
	if !strings.HasPrefix(stdout, "network 4,3,1 (sigmoid), seed 1\n") {
		t.Errorf("title %q", strings.SplitN(stdout, "\n", 2)[0])
	}
}

// TestTraceOptions runs the other tutorials and options and checks a line
// of each output.
func TestTraceOptions(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"trace", "xor", "--iteration", "3"}, []string{"iteration 3", "The weights and biases after 2 iterations"}},
		{[]string{"trace", "hidden-layer", "--layout", "columns"}, []string{"samples as columns", "Z1 = W1·X + b1", "Error1 = W2ᵀ·d2", "W1 += d1·Xᵀ·lr"}},
		{[]string{"trace", "sse"}, []string{"E = 2·(y − output)", "loss is sse (sum)"}},
		{[]string{"trace", "single-layer", "--lr", "0.5"}, []string{"Step 2. Output layer (step 4 of the one-hidden-layer walk-through)", "lr = 0.5"}},
		{[]string{"trace", "xor", "--digits", "0"}, []string{"[0]"}},
		{[]string{"trace", "--format", "html"}, []string{"<!DOCTYPE html>", `data-step="11"`, `class="result focus"`}},
		{[]string{"trace", "--layers", "2,3,3,1", "--activation", "tanh", "--input", "1,2;3,4", "--target-rows", "0.5;-0.5", "--seed", "9"},
			[]string{"Hidden layer 2 input (step 2 of", "tanh′(Z2) = 1 − A2²", "Error at hidden layer 1"}},
	}
	for _, tt := range tests {
		stdout, stderr, code := runCase(t, tt.args...)
		if code != 0 {
			t.Errorf("nerve %s: exit status %d: %s", strings.Join(tt.args, " "), code, stderr)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("nerve %s: output lacks %q", strings.Join(tt.args, " "), w)
			}
		}
	}
}

// TestTraceOut checks that --out writes the file, with the format its
// extension names, and nothing else.
func TestTraceOut(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ name, start string }{
		{"trace.html", "<!DOCTYPE html>"},
		{"trace.md", "# hidden-layer, seed 1"},
		{"trace.txt", "hidden-layer, seed 1"},
	} {
		path := filepath.Join(dir, tt.name)
		stdout, stderr, code := runCase(t, "trace", "--out", path)
		if code != 0 || stdout != "" {
			t.Fatalf("nerve trace --out %s: exit status %d, stdout %q, stderr %q", tt.name, code, stdout, stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), tt.start) {
			t.Errorf("%s starts %.40q; want %q", tt.name, b, tt.start)
		}
	}
	if got := listTree(t, dir); len(got) != 3 {
		t.Errorf("the directory holds %v; want the three traces only", got)
	}
	_, stderr, code := runCase(t, "trace", "--out", filepath.Join(dir, "missing", "t.html"))
	if code != 1 || !strings.Contains(stderr, "--out") || !strings.Contains(stderr, "does not exist") {
		t.Errorf("--out into a missing directory: exit status %d, stderr %q", code, stderr)
	}
}

// TestTraceModel traces a saved classifier on the first rows of a CSV
// file: softmax output with cross-entropy averaged over the rows.
func TestTraceModel(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "train.csv")
	if err := os.WriteFile(csvPath, []byte(trainCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := data.LoadCSV(csvPath, data.CSVOptions{Target: "label"})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := data.FitScaler(d.X)
	if err != nil {
		t.Fatal(err)
	}
	net, err := nn.New[float32](nn.Config{
		Inputs: 3,
		Layers: []nn.LayerSpec{{Units: 4, Activation: activation.ReLU}, {Units: 2, Activation: activation.Softmax}},
		Loss:   loss.CrossEntropy,
	}, rng.New(2))
	if err != nil {
		t.Fatal(err)
	}
	m := &model.Model[float32]{Network: net, Task: model.Classification, Classes: []string{"x", "y"}, LabelType: model.LabelString,
		Features: []string{"a", "b", "c"}, Target: "label", Scaler: sc}
	modelPath := filepath.Join(dir, "m.nerve")
	if err := model.Save(modelPath, m); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCase(t, "trace", "--model", modelPath, "--data", csvPath, "--rows", "3", "--digits", "6")
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	for _, w := range []string{
		"m.nerve on the first 3 rows of train.csv",
		"network 3-4-2 (relu, softmax), loss cross-entropy averaged over 3 samples",
		"E = (1/3)·(y − output)",
		"The output layer needs no slope",
		"Step 11. Update the biases",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q", w)
		}
	}
	// y is one-hot in the model's class order: rows x, y, x.
	want := "  y  3×2  (Analytics Vidhya: y; iamtrask: y; Go: y)\n" +
		"               0           1\n" +
		"    0   1.000000    0.000000\n" +
		"    1   0.000000    1.000000\n" +
		"    2   1.000000    0.000000\n"
	if !strings.Contains(stdout, want) {
		t.Errorf("output lacks the one-hot targets\n%s", want)
	}
	// X is standardised with the model's scaler.
	X, err := data.Transform[float64](sc, d.X.Slice(0, 3))
	if err != nil {
		t.Fatal(err)
	}
	step0, _, _ := strings.Cut(stdout, "Step 1.")
	for i := range X.Rows() {
		for j := range X.Cols() {
			if v := strconv.FormatFloat(X.At(i, j), 'f', 6, 64); !strings.Contains(step0, v) {
				t.Errorf("step 0 does not show the standardised X[%d,%d] = %s", i, j, v)
			}
		}
	}

	// A label the model does not know.
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("a,b,c,label\n1,2,3,x\n2,3,4,z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = runCase(t, "trace", "--model", modelPath, "--data", bad)
	if code != 1 || !strings.Contains(stderr, `sample 2 has label "z"`) || !strings.Contains(stderr, "bad.csv") {
		t.Errorf("unknown class: exit status %d, stderr %q", code, stderr)
	}
	_, stderr, code = runCase(t, "trace", "--model", filepath.Join(dir, "none.nerve"), "--data", csvPath)
	if code != 1 || !strings.Contains(stderr, "none.nerve") {
		t.Errorf("missing model: exit status %d, stderr %q", code, stderr)
	}
}

func TestTraceUsageErrors(t *testing.T) {
	layers := []string{"--layers", "2,1", "--input", "1,2", "--target-rows", "1"}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"nope"}, `unknown tutorial "nope"`},
		{[]string{"l-layer"}, `unknown tutorial "l-layer"`},
		{[]string{"xor", "sse"}, "at most one tutorial name"},
		{[]string{"--model", "m.nerve"}, "--model and --data go together"},
		{[]string{"xor", "--model", "m", "--data", "d"}, "two ways"},
		{[]string{"--model", "m", "--data", "d", "--layers", "2,1"}, "two ways"},
		{[]string{"--layers", "4,3,1"}, "needs --input and --target-rows"},
		{[]string{"--layers", "2,1", "--input", "1,2,3", "--target-rows", "1"}, "--input: row 1 has 3 values, want 2"},
		{[]string{"--layers", "2,1", "--input", "1,x", "--target-rows", "1"}, `--input: row 1, value 2 is "x"`},
		{[]string{"--layers", "2,1", "--input", "1,2", "--target-rows", "NaN"}, `--target-rows: row 1, value 1 is "NaN"`},
		{[]string{"--layers", "2,1", "--input", "1,2;3,4", "--target-rows", "1"}, "--input has 2 rows but --target-rows has 1"},
		{append(slicesClone(layers), "--activation", "softmax"), "--activation: softmax"},
		{append(slicesClone(layers), "--activation", "cosine"), "--activation"},
		{[]string{"--digits", "18"}, "--digits"},
		{[]string{"--format", "pdf"}, "--format"},
		{[]string{"--layout", "diagonal"}, "--layout"},
		{[]string{"--iteration", "0"}, "--iteration"},
		{[]string{"--lr", "0"}, "--lr"},
		{[]string{"xor", "--rows", "3"}, "--rows applies only to --model, not the xor tutorial"},
		{[]string{"--input", "1"}, "--input applies only to --layers"},
		{[]string{"--model", "m", "--data", "d", "--seed", "2"}, "--seed applies only to a tutorial or --layers, not --model"},
	}
	for _, tt := range tests {
		args := append([]string{"trace"}, tt.args...)
		stdout, stderr, code := runCase(t, args...)
		if code != 2 || stdout != "" || !strings.HasPrefix(stderr, "nerve: trace") || !strings.Contains(stderr, tt.want) {
			t.Errorf("nerve %s: exit status %d, stdout %q, stderr %q; want status 2 and %q", strings.Join(args, " "), code, stdout, stderr, tt.want)
		}
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }
