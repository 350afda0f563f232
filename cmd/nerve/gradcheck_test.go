package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// verdict matches the last line of a gradient check's report.
var verdict = regexp.MustCompile(`\n(ok|FAIL): max relative error ([0-9.e+-]+) \(layer \d+ [WbX] \(\d+, \d+\)\) is (not )?below the threshold `)

// maxRelErr returns the error a gradcheck report gives in its verdict.
func maxRelErr(t *testing.T, stdout string) float64 {
	t.Helper()
	m := verdict.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no verdict line in:\n%s", stdout)
	}
	v, err := strconv.ParseFloat(m[2], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestGradcheckTutorials(t *testing.T) {
	for _, name := range gradcheckTutorials {
		for _, seed := range []string{"1", "7"} {
			stdout, stderr, code := runCase(t, "gradcheck", name, "--seed", seed)
			if code != 0 {
				t.Errorf("nerve gradcheck %s --seed %s: exit status %d (%s):\n%s", name, seed, code, stderr, stdout)
				continue
			}
			if e := maxRelErr(t, stdout); e > 1e-8 {
				t.Errorf("nerve gradcheck %s --seed %s: max relative error %g; want ≤ 1e-8", name, seed, e)
			}
			for _, w := range []string{"the " + name + " tutorial's network (seed " + seed + ")", "layer  param shape", "\n1      W     ", "\nok: "} {
				if !strings.Contains(stdout, w) {
					t.Errorf("nerve gradcheck %s: stdout does not contain %q:\n%s", name, w, stdout)
				}
			}
		}
	}
}

// TestGradcheckFails shows that the command fails, with exit status 1,
// when the relative error is not below the threshold: with a threshold
// of 0 every check fails, and with 1e-20 one whose errors are about
// 1e-12 does.
func TestGradcheckFails(t *testing.T) {
	for _, args := range [][]string{
		{"gradcheck", "xor", "--threshold", "0"},
		{"gradcheck", "--layers", "3,4,2", "--loss", "ce", "--threshold", "1e-20"},
	} {
		stdout, stderr, code := runCase(t, args...)
		cmd := "nerve " + strings.Join(args, " ")
		if code != 1 {
			t.Errorf("%s: exit status %d; want 1", cmd, code)
		}
		if !strings.HasPrefix(stderr, "nerve: gradient check failed: max relative error ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: stderr %q; want one line \"nerve: gradient check failed: ...\"", cmd, stderr)
		}
		if !strings.Contains(stdout, "\nFAIL: ") || maxRelErr(t, stdout) > 1e-8 {
			t.Errorf("%s: stdout has no FAIL verdict for a small error:\n%s", cmd, stdout)
		}
	}
	// The same checks pass at the default threshold.
	for _, args := range [][]string{{"gradcheck", "xor"}, {"gradcheck", "--layers", "3,4,2", "--loss", "ce"}} {
		if _, stderr, code := runCase(t, args...); code != 0 {
			t.Errorf("nerve %s: exit status %d; want 0 (%s)", strings.Join(args, " "), code, stderr)
		}
	}
}

func TestGradcheckLayers(t *testing.T) {
	tests := [][]string{
		{"--layers", "4,3,1", "--activation", "sigmoid"},
		{"--layers", "4,8,8,3", "--activation", "relu", "--loss", "cross-entropy", "--rows", "12", "--seed", "9"},
		{"--layers", "2,5,2", "--activation", "leaky-relu", "--loss", "bce", "--reduction", "sum"},
		{"--layers", "3,6,2", "--activation", "tanh", "--output", "softmax", "--loss", "half-sse"},
		{"--layers", "5,2", "--loss", "mse", "--eps", "1e-4"},
	}
	for _, args := range tests {
		args = append([]string{"gradcheck"}, args...)
		stdout, stderr, code := runCase(t, args...)
		if code != 0 {
			t.Errorf("nerve %s: exit status %d (%s):\n%s", strings.Join(args, " "), code, stderr, stdout)
			continue
		}
		if e := maxRelErr(t, stdout); e > 1e-7 {
			t.Errorf("nerve %s: max relative error %g; want ≤ 1e-7", strings.Join(args, " "), e)
		}
	}
}

// TestGradcheckModel checks trained models read from files: a tanh and a
// relu classifier and a regressor with target scaling.
func TestGradcheckModel(t *testing.T) {
	dir, csv := spiralDir(t)
	reg := filepath.Join(dir, "reg.csv")
	var b strings.Builder
	b.WriteString("a,b,y\n")
	for i := range 30 {
		fmt.Fprintf(&b, "%d,%d,%g\n", i, i%5, 100+float64(i)*3-float64(i%5))
	}
	if err := os.WriteFile(reg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		train []string
		data  string
		rows  string
	}{
		{[]string{"--data", csv, "--hidden", "8", "--activation", "tanh"}, csv, "20"},
		{[]string{"--data", csv, "--hidden", "16,8"}, csv, "40"}, // relu
		{[]string{"--data", reg, "--hidden", "4", "--activation", "sigmoid"}, reg, "10"},
	}
	for i, tt := range tests {
		model := filepath.Join(dir, fmt.Sprintf("m%d.nerve", i))
		args := append([]string{"train", "--epochs", "3", "--quiet", "--out", model}, tt.train...)
		if _, stderr, code := runCase(t, args...); code != 0 {
			t.Fatalf("nerve %s: %s", strings.Join(args, " "), stderr)
		}
		args = []string{"gradcheck", "--model", model, "--data", tt.data, "--rows", tt.rows}
		stdout, stderr, code := runCase(t, args...)
		if code != 0 {
			t.Errorf("nerve %s: exit status %d (%s):\n%s", strings.Join(args, " "), code, stderr, stdout)
			continue
		}
		if !strings.Contains(stdout, "the model "+model+" on "+tt.data) {
			t.Errorf("nerve %s: the heading does not name the files:\n%s", strings.Join(args, " "), stdout)
		}
		if e := maxRelErr(t, stdout); e > 1e-7 {
			t.Errorf("nerve %s: max relative error %g; want ≤ 1e-7", strings.Join(args, " "), e)
		}
	}
}

// TestAwayFromKinks checks that samples whose relu pre-activations lie
// near 0 are left out, and only those.
func TestAwayFromKinks(t *testing.T) {
	net, err := nn.New[float64](nn.Config{Inputs: 1, Layers: []nn.LayerSpec{{Units: 1, Activation: activation.ReLU}, {Units: 1}}, Loss: loss.MSE}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	net.Layers[0].W.Set(0, 0, 1) // Z = x
	X := tensor.FromRows([][]float64{{-1}, {1e-4}, {0.5}, {-0.003}, {0}})
	Y := tensor.FromRows([][]float64{{1}, {2}, {3}, {4}, {5}})
	x, y, dropped := awayFromKinks(net, X, Y, 1e-3)
	if dropped != 3 || x.Rows() != 2 || x.At(0, 0) != -1 || x.At(1, 0) != 0.5 || y.At(1, 0) != 3 {
		t.Errorf("kept %v (targets %v), dropped %d; want x = -1 and 0.5 kept, 3 dropped", x.Data(), y.Data(), dropped)
	}
	// Without a relu nothing is left out.
	net.Layers[0].Activation = activation.Tanh
	if _, _, dropped := awayFromKinks(net, X, Y, 1e-3); dropped != 0 {
		t.Errorf("tanh network: %d samples dropped; want 0", dropped)
	}
}

func TestGradcheckUsage(t *testing.T) {
	dir, csv := spiralDir(t)
	model := filepath.Join(dir, "m.nerve")
	if _, stderr, code := runCase(t, "train", "--data", csv, "--epochs", "1", "--quiet", "--out", model); code != 0 {
		t.Fatal(stderr)
	}
	three := filepath.Join(dir, "three.csv")
	if err := os.WriteFile(three, []byte("a,b,c,arm\n1,2,3,arm1\n3,2,1,arm2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unknown := filepath.Join(dir, "unknown.csv")
	if err := os.WriteFile(unknown, []byte("x1,x2,arm\n1,2,arm1\n2,1,arm7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"gradcheck"}, 2, []string{"exactly one of", "xor", "--model", "--layers"}},
		{[]string{"gradcheck", "xor", "--layers", "2,1"}, 2, []string{"exactly one of"}},
		{[]string{"gradcheck", "xor", "sse"}, 2, []string{"at most one tutorial"}},
		{[]string{"gradcheck", "single"}, 2, []string{`unknown tutorial "single"`, "single-layer"}},
		{[]string{"gradcheck", "xor", "--loss", "mse"}, 2, []string{"--loss applies only to --layers, not a tutorial"}},
		{[]string{"gradcheck", "--layers", "2,1", "--data", csv}, 2, []string{"--data applies only to --model, not --layers"}},
		{[]string{"gradcheck", "--model", model}, 2, []string{"--model needs --data"}},
		{[]string{"gradcheck", "xor", "--threshold", "-1"}, 2, []string{"--threshold", `"-1"`}},
		{[]string{"gradcheck", "xor", "--eps", "0"}, 2, []string{"--eps", `"0"`}},
		{[]string{"gradcheck", "--layers", "2,1", "--loss", "hinge"}, 2, []string{"--loss", `"hinge"`}},
		{[]string{"gradcheck", "--layers", "2,1", "--activation", "swish"}, 2, []string{"--activation", `"swish"`}},
		{[]string{"gradcheck", "--layers", "2,3", "--loss", "ce", "--output", "identity"}, 2, []string{"--layers 2,3", "softmax"}},
		{[]string{"gradcheck", "--model", filepath.Join(dir, "none.nerve"), "--data", csv}, 1, []string{"none.nerve"}},
		{[]string{"gradcheck", "--model", model, "--data", three}, 1, []string{"three.csv", "3 feature columns"}},
		{[]string{"gradcheck", "--model", model, "--data", unknown}, 1, []string{"unknown.csv", `sample 2 has label "arm7"`}},
	}
	for _, tt := range tests {
		stdout, stderr, code := runCase(t, tt.args...)
		cmd := "nerve " + strings.Join(tt.args, " ")
		if code != tt.code {
			t.Errorf("%s: exit status %d; want %d (%s)", cmd, code, tt.code, stderr)
		}
		if stdout != "" {
			t.Errorf("%s: stdout %q; want nothing", cmd, stdout)
		}
		if !strings.HasPrefix(stderr, "nerve: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: stderr %q; want one \"nerve: \" line", cmd, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr %q; want it to contain %q", cmd, stderr, w)
			}
		}
	}
}
